// Readiness event bits, the same values as epoll's EPOLLIN, EPOLLOUT and
// EPOLLERR (and as Tornado's READ, WRITE and ERROR masks).
export const READ: i32 = 0x1;
export const WRITE: i32 = 0x4;
export const ERROR: i32 = 0x8;
export const ALL_EVENTS: i32 = READ | WRITE | ERROR;
