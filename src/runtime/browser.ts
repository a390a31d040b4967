// Browsers: core.wasm is an asset beside the bundle. `new URL(..., import.meta.url)`
// is the pattern Vite and webpack 5 rewrite to the emitted asset's URL; a
// page without a bundler finds the file beside this one. esbuild and Rollup
// (without a plugin) leave the expression as it is and do not copy the file:
// the error below says so, and what to do.
import { setCoreLoader } from "../core.js";

const HOW_TO_FIX = "serve core.wasm from node_modules/wasm-ioloop/dist/runtime/ at that URL (a bundler that"
  + " does not copy it: esbuild, Rollup), or import from \"wasm-ioloop/inline\" (the core inside the bundle),"
  + " or pass IOLoop.create({ module }) a WebAssembly.Module you compiled";

setCoreLoader(async () => {
  const url = new URL("./core.wasm", import.meta.url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`wasm-ioloop: fetching the core from ${url} failed (${String(error)}): ${HOW_TO_FIX}`, { cause: error });
  }
  if (!response.ok) {
    throw new Error(`wasm-ioloop: fetching the core from ${url} failed: ${response.status} ${response.statusText}: ${HOW_TO_FIX}`);
  }
  // Streaming compilation insists on `Content-Type: application/wasm`; for a
  // server that sends anything else, compile the bytes instead.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  const bytes = await response.arrayBuffer();
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    // Typically a server answering every path with the app's HTML.
    throw new Error(`wasm-ioloop: ${url} is not the core (${String(error)}): ${HOW_TO_FIX}`, { cause: error });
  }
});

export * from "../index.js";
