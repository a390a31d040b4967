// npm start: builds the demo page (demo/browser, against the package built
// by `npm run build`) and serves it with the local server it talks to, on
// 127.0.0.1. PORT picks the port (default 5180; 0 for any free one).
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { startServer } from "./server.js";

const DEFAULT_PORT = 5180;

/** Builds the demo page into demo/browser/dist and returns that folder. */
export async function buildDemo() {
  const configFile = fileURLToPath(new URL("./browser/vite.config.ts", import.meta.url));
  await build({ configFile });
  return fileURLToPath(new URL("./browser/dist", import.meta.url));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const staticDir = await buildDemo();
  const port = process.env.PORT === undefined ? DEFAULT_PORT : Number(process.env.PORT);
  const server = await startServer({ port, staticDir });
  console.log(`\nwasm-ioloop demo: ${server.url}/\n(Ctrl-C to stop)`);
  const stop = async () => { await server.close(); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
