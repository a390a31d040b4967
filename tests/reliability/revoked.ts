// A revoked Proxy: the most hostile value a user can pass or return. Every
// touch of it throws, a property read, `in`, instanceof, Object.keys and
// String() included.

/** A Proxy of target (a plain object by default), already revoked. */
export function revoked<T extends object = object>(target: T = {} as T): T {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}
