// Four connections, each with an idle timeout: "d" is closed and its timeout
// removed; "b" shows activity and its timeout is re-armed in place.
// Vite serves and builds this with no configuration: it emits the package's
// core.wasm as an asset of the app.
import { IOLoop } from "wasm-ioloop";

const loop = await IOLoop.create();
const idle = await loop.run(() => new Promise((resolve) => {
  const order = [];
  const timeouts = new Map();
  // One idle timeout per connection, in milliseconds.
  for (const [name, idleMs] of [["a", 100], ["b", 100], ["c", 120], ["d", 110]]) {
    timeouts.set(name, loop.callLater(idleMs, () => {
      order.push(name);
      if (order.length === 3) resolve(order);
    }));
  }
  loop.callLater(10, () => loop.removeTimeout(timeouts.get("d")));   // d closed: its timeout goes
  loop.callLater(40, () => loop.refreshTimeout(timeouts.get("b")));  // b active: now due at 140 ms
}), { timeoutMs: 1_000 });
loop.close();
document.querySelector("#result").textContent = `idle in order: ${idle.join(", ")}`;
