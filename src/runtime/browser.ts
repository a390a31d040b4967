// Browsers: core.wasm is an asset beside the bundle. `new URL(..., import.meta.url)`
// is the pattern Vite (and other bundlers) rewrite to the emitted asset's URL.
import { setCoreLoader } from "../core.js";

setCoreLoader(async () => {
  const response = await fetch(new URL("./core.wasm", import.meta.url));
  if (!response.ok) throw new Error(`wasm-ioloop: fetching core.wasm failed: ${response.status} ${response.statusText}`);
  // Streaming compilation insists on `Content-Type: application/wasm`; for a
  // server that sends anything else, compile the bytes instead.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
});

export * from "../index.js";
