// Node side of scripts/compile_runtime.py: starts the pinned Pyodide, installs the wheels as the
// page does, runs scripts/compile_runtime_pyodide.py inside it and copies what it wrote out.
//   node scripts/compile_runtime.mjs <node_modules/pyodide> <inside.py> <out dir> <wheel>...
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

// An error prints its message only (node would also print the minified source line it came from).
process.on("uncaughtException", (error) => {
  console.error(String(error && error.message || error));
  process.exit(1);
});
process.on("unhandledRejection", (error) => {
  console.error(String(error && error.message || error));
  process.exit(1);
});

const [pyodideDir, insidePy, outDir, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + "/" });
const site = pyodide.runPython("import site; site.getsitepackages()[0]");
const inside = [];
pyodide.FS.mkdirTree("/tmp/itaku-in");
pyodide.FS.mkdirTree("/tmp/itaku-out");
for (const wheel of wheels) {
  const bytes = new Uint8Array(fs.readFileSync(wheel)); // a copy: Pyodide refuses Node's Buffer
  const where = "/tmp/itaku-in/" + path.basename(wheel);
  pyodide.FS.writeFile(where, bytes);
  pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
  inside.push(where);
}
pyodide.runPython("import importlib; importlib.invalidate_caches()");
pyodide.globals.set("ITAKU_COMPILE", JSON.stringify({ wheels: inside, out: "/tmp/itaku-out" }));
pyodide.runPython(fs.readFileSync(insidePy, "utf8"), { filename: insidePy });
fs.mkdirSync(outDir, { recursive: true });
for (const name of pyodide.FS.readdir("/tmp/itaku-out")) {
  if (name === "." || name === "..") continue;
  fs.writeFileSync(path.join(outDir, name), pyodide.FS.readFile("/tmp/itaku-out/" + name));
}
