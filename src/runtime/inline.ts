// Browsers, with the core inside the bundle: for bundlers that do not copy
// core.wasm beside the app (esbuild, Rollup without a plugin), and for pages
// that want one file. The core travels as base64 (a third more bytes, a
// little less once gzipped) and is compiled from memory, so nothing is
// fetched. Not for Workers: they refuse to compile wasm from bytes at run
// time (their entry imports core.wasm as a module instead).
// @ts-expect-error: a module made by scripts/build.js, holding core.wasm as base64
import coreBase64 from "wasm-ioloop:core-base64";
import { setCoreLoader } from "../core.js";

setCoreLoader(async () => WebAssembly.compile(decodeBase64(coreBase64 as string)));

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export * from "../index.js";
