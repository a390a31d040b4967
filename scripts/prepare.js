// npm's `prepare`: builds dist/ unless it is there already. It runs after
// `npm install` in a clone, and when npm installs the package from a git URL
// (npm then runs `prepare`, not `prepack`, in its clone): either way the
// package must come out built. `npm pack` builds afresh through `prepack`;
// `npm test` and `npm start` build first whatever is there.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const BUILT = ["dist/index.d.ts", "dist/runtime/browser.js", "dist/runtime/node.js", "dist/runtime/workerd.js", "dist/runtime/core.wasm"];

if (!BUILT.every((file) => existsSync(file))) execSync("npm run build", { stdio: "inherit" });
