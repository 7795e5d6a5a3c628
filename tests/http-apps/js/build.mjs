// Builds app.js into a `wasi:http/proxy` component with componentize-js.
//
//     node build.mjs --wit WIT_DIR --out APP.wasm
//
// WIT_DIR is a WIT folder with the `wasi:http/proxy` world, such as the `wit/` folder
// of the wasmtime-wasi-http crate. componentize-js ships no WIT of its own, and its
// engine exports `wasi:http/incoming-handler` at one fixed WASI version, which must
// match the world's. So this script writes a copy of WIT_DIR next to APP.wasm with
// every `wasi:` package moved to the engine's version, and builds against the copy.

import { componentize } from "@bytecodealliance/componentize-js";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const scriptDir = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { wit: { type: "string" }, out: { type: "string" } } });
if (!values.wit || !values.out) {
  console.error("usage: node build.mjs --wit WIT_DIR --out APP.wasm");
  process.exit(2);
}
const out = resolve(values.out);
const started = Date.now();

const engineVersion = await engineHttpVersion();
const witCopy = `${out}.wit`;
await rm(witCopy, { recursive: true, force: true });
await copyWit(resolve(values.wit), witCopy, engineVersion);

const { component } = await componentize({
  sourcePath: join(scriptDir, "app.js"),
  witPath: witCopy,
  worldName: `wasi:http/proxy@${engineVersion}`,
});
await mkdir(dirname(out), { recursive: true });
// Write then rename, so that a reader never sees half a component.
await writeFile(`${out}.tmp`, component);
await rename(`${out}.tmp`, out);
console.log(
  `built \`${out}\` (${component.length} bytes, wasi:http@${engineVersion}) in ${Date.now() - started} ms`,
);

/** Returns the WASI version of the `wasi:http/incoming-handler` that the engine exports. */
async function engineHttpVersion() {
  const entry = fileURLToPath(import.meta.resolve("@bytecodealliance/componentize-js"));
  const engine = await readFile(join(dirname(entry), "..", "lib", "starlingmonkey_embedding.wasm"));
  const found = engine.toString("latin1").match(/wasi:http\/incoming-handler@(0\.2\.\d+)/);
  if (!found) {
    throw new Error("no `wasi:http/incoming-handler` export in the componentize-js engine");
  }
  return found[1];
}

/**
 * Copies the `.wit` files of `from` (and its `deps/`) to `to`, with every `wasi:`
 * package at `version`. Items that WASI added after `version` (`@since` a later
 * patch release) become unstable, so the resolver leaves them out as the older WIT
 * would.
 */
async function copyWit(from, to, version) {
  const patch = Number(version.split(".")[2]);
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      await copyWit(join(from, entry.name), join(to, entry.name), version);
    } else if (entry.name.endsWith(".wit")) {
      const text = (await readFile(join(from, entry.name), "utf8"))
        .replace(/(wasi:[a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)?)@0\.2\.\d+/g, `$1@${version}`)
        .replace(/@since\(version = 0\.2\.(\d+)\)/g, (gate, since) =>
          Number(since) > patch ? "@unstable(feature = newer-wasi)" : gate,
        );
      await writeFile(join(to, entry.name), text);
    }
  }
}
