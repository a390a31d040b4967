// Readiness events, as bits of a mask: the values of epoll's EPOLLIN,
// EPOLLOUT and EPOLLERR, and of Tornado's IOLoop.READ/WRITE/ERROR.
// assembly/events.ts holds the same values; a core test checks they agree.

/** The source has data to read (or an end of stream to report). */
export const READ = 0x1;
/** The source can take a write without buffering past its bound. */
export const WRITE = 0x4;
/** The source failed or closed; delivered whatever the handler's interest. */
export const ERROR = 0x8;

export const ALL_EVENTS = READ | WRITE | ERROR;
