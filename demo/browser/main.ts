// The demo page: one IOLoop runs the WebSocket session, the fetch stream and
// the timeout race; the header shows loop.stats() as it changes, read between
// iterations (once per frame), when the loop's host timer is armed.
import { IOLoop, type LoopStats } from "wasm-ioloop";
import { card, formatBytes, formatCount } from "./dom.js";
import { startBurstPanel } from "./burst-panel.js";
import { startPunctualityPanel } from "./punctuality-panel.js";
import { startStreamPanel } from "./stream-panel.js";
import { startTimeoutsPanel } from "./timeouts-panel.js";
import { startWebSocketPanel } from "./websocket-panel.js";

const loop = await IOLoop.create({ onError: ({ error, kind }) => console.error(`demo: a ${kind} failed`, error) });

const statsCells = Array.from(card("loop-stats").querySelectorAll<HTMLElement>("[data-stat]"));
const showStats = (): void => {
  const stats = loop.stats();
  for (const cell of statsCells) {
    const name = cell.dataset.stat as keyof LoopStats;
    cell.textContent = name === "wasmMemoryBytes" ? formatBytes(stats[name]) : formatCount(stats[name]);
  }
  requestAnimationFrame(showStats);
};
requestAnimationFrame(showStats);

startWebSocketPanel(loop, `${location.origin.replace(/^http/, "ws")}/ws`);
startStreamPanel(loop, `${location.origin}/stream`);
startPunctualityPanel(loop);
startBurstPanel();
startTimeoutsPanel(loop);
void loop.start();
