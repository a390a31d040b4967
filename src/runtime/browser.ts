// Browsers: core.wasm is an asset beside the bundle. `new URL(..., import.meta.url)`
// is the pattern Vite and webpack 5 rewrite to the emitted asset's URL; a
// page without a bundler finds the file beside this one. esbuild and Rollup
// (without a plugin) leave the expression as it is and do not copy the file:
// the error below says so, and what to do.
import { setCoreLoader } from "../core.js";

setCoreLoader(async () => {
  const url = new URL("./core.wasm", import.meta.url);
  /** An error naming the URL tried, what went wrong, and the ways out. */
  const failed = (what: unknown): Error => new Error(`wasm-ioloop: no core at ${url} (${String(what)}): copy`
    + ' dist/runtime/core.wasm there, import "wasm-ioloop/inline", or pass IOLoop.create({ module })', { cause: what });
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    // Streaming compilation insists on `Content-Type: application/wasm`; for
    // a server that sends anything else, compile the bytes instead (an HTML
    // page answering every path fails to compile, and is reported here).
    return await (response.headers.get("content-type")?.startsWith("application/wasm")
      ? WebAssembly.compileStreaming(response)
      : WebAssembly.compile(await response.arrayBuffer()));
  } catch (error) {
    throw failed(error);
  }
});

export * from "../index.js";
