// Node: core.wasm is a file beside this module.
import { readFile } from "node:fs/promises";
import { setCoreLoader } from "../core.js";

setCoreLoader(async () => WebAssembly.compile(await readFile(new URL("./core.wasm", import.meta.url))));

export * from "../index.js";
