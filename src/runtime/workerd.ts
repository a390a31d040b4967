// Cloudflare Workers refuse to compile wasm from bytes at run time, so the
// module is imported: wrangler (and workerd) compile it at upload.
// @ts-expect-error: resolved by wrangler's module rules, not by TypeScript
import coreModule from "./core.wasm";
import { setCoreLoader } from "../core.js";

setCoreLoader(async () => coreModule as WebAssembly.Module);

export * from "../index.js";
