// The demo Worker's routes:
//   GET  /rooms/<name>         WebSocket upgrade: join the room (a Room object)
//   GET  /rooms/<name>/stats   the room's connection and timer counts (JSON)
//   POST /ndjson               NDJSON in, NDJSON out, streamed line by line
import { transformNdjson } from "./ndjson.js";
import type { Env } from "./settings.js";

export { Room } from "./room.js";

const ROOM_PATH = /^\/rooms\/([A-Za-z0-9_-]{1,64})(\/stats)?$/;

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    const room = ROOM_PATH.exec(url.pathname);
    if (room) {
      const stub = env.ROOM.getByName(room[1]);
      return room[2] ? Response.json(await stub.stats()) : stub.fetch(request);
    }
    if (url.pathname === "/ndjson") {
      if (request.method !== "POST") return new Response("POST an NDJSON body", { status: 405, headers: { Allow: "POST" } });
      return transformNdjson(request, ctx);
    }
    return new Response("routes: GET /rooms/<name> (WebSocket), GET /rooms/<name>/stats, POST /ndjson\n", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
