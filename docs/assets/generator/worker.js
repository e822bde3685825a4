// The Python side of the generator page: one Pyodide interpreter running itaku.web.
//
// Runs as a module worker (the usual case) or, as a fallback, on the main
// thread; loader.js talks to it with the same messages either way:
//   page → runtime  {type: "init", mode, indexURL, wheels: [{name, url} | {name, data}],
//                    wasm?, stdlib?, lockFileContents?, edition?}  (file:// passes ArrayBuffers;
//                                                                    edition: {status, text, error})
//                   {type: "call", id, method, args, data?}      (data: an uploaded file, ArrayBuffer)
//   runtime → page  {type: "progress", stage}                    ("python", "libraries")
//                   {type: "ready", questionnaire}                (itaku.web imported)
//                   {type: "libraries-ready"}                     (openpyxl imported; downloads can run)
//                   {type: "result", id, value, files}            (files: {name: ArrayBuffer}, transferred)
//                   {type: "failed", message}
// Over http this file is loaded as it is and imports the vendored pyodide.mjs.
// Over file:// overrides/hooks/generator_assets.py puts Pyodide in front of it
// (globalThis.__itakuRuntime) and the page starts it from a data: URL.
// All Python lives in src/itaku/web.py (dispatch); nothing here evaluates user text.

const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
let post = (message, transfer) => self.postMessage(message, transfer || []);
let pyodide = null;
let dispatch = null;
let librariesReady = null;

function fetchStandIn(indexURL, buffers) {
  // file://: Pyodide fetches the wasm and the stdlib from indexURL; answer those two, nothing else.
  const original = globalThis.fetch ? globalThis.fetch.bind(globalThis) : null;
  const types = { "pyodide.asm.wasm": "application/wasm", "python_stdlib.zip": "application/zip" };
  globalThis.fetch = (input, options) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    for (const name of Object.keys(buffers)) {
      if (url === indexURL + name) {
        return Promise.resolve(new Response(buffers[name], { headers: { "Content-Type": types[name] } }));
      }
    }
    if (original && !url.startsWith("file:")) return original(input, options);
    return Promise.reject(new TypeError("itaku: offline stand-in has no " + url));
  };
}

async function pyodideLoader(init) {
  const bundled = globalThis.__itakuRuntime;
  if (bundled) {
    return (options) => bundled.pyodide.loadPyodide({ ...options, createPyodideModule: bundled.createPyodideModule });
  }
  const module = await import(init.indexURL + "pyodide.mjs");
  return module.loadPyodide;
}

async function wheelBytes(wheel) {
  if (wheel.data) return new Uint8Array(wheel.data);
  const response = await fetch(wheel.url);
  if (!response.ok) throw new Error(`wheel ${wheel.name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function start(init) {
  globalThis.__itakuIndexURL = init.indexURL;
  post({ type: "progress", stage: "python" });
  if (init.wasm) fetchStandIn(init.indexURL, { "pyodide.asm.wasm": init.wasm, "python_stdlib.zip": init.stdlib });
  const wheels = Promise.all(init.wheels.map(wheelBytes)); // in parallel with the interpreter start
  const loadPyodide = await pyodideLoader(init);
  const options = { indexURL: init.indexURL, packageBaseUrl: init.indexURL };
  if (init.lockFileContents) options.lockFileContents = init.lockFileContents;
  pyodide = await loadPyodide(options);
  post({ type: "progress", stage: "libraries" });
  const site = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const bytes of await wheels) pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  const web = pyodide.pyimport("itaku.web");
  dispatch = web.dispatch;
  if (init.edition) call({ method: "set_edition", args: [init.edition] }); // edition.js, validated in Python
  const questionnaire = call({ method: "questionnaire", args: [] }).value;
  post({ type: "ready", questionnaire });
  // openpyxl and the renderers (~0.6 s) load after `ready`; a download waits for them.
  librariesReady = new Promise((resolve) => setTimeout(resolve, 0)).then(() => {
    pyodide.pyimport("itaku.render.xlsx");
    pyodide.pyimport("itaku.render.docx");
    post({ type: "libraries-ready" });
  });
}

function call({ method, args, data }) {
  const result = data ? dispatch(method, JSON.stringify(args), new Uint8Array(data))
                      : dispatch(method, JSON.stringify(args));
  try {
    const [text, files] = result.toJs({ dict_converter: Object.fromEntries });
    const buffers = {};
    for (const [name, bytes] of Object.entries(files)) buffers[name] = bytes.buffer;
    return { value: JSON.parse(text), files: buffers };
  } finally {
    result.destroy();
  }
}

async function handle(message) {
  if (message.type === "init") {
    try {
      await start(message);
    } catch (error) {
      post({ type: "failed", message: String(error && error.message || error) });
    }
    return;
  }
  if (message.type === "call") {
    try {
      if (message.method === "generate") await librariesReady;
      const { value, files } = call(message);
      post({ type: "result", id: message.id, value, files }, Object.values(files));
    } catch (error) {
      post({ type: "result", id: message.id, value: { error: "内部エラーが発生しました: " + String(error && error.message || error) }, files: {} });
    }
  }
}

if (IN_WORKER) {
  self.onmessage = (event) => handle(event.data);
} else {
  globalThis.ItakuRuntime = {
    connect(receive) {
      post = (message) => receive(message);
      return handle;
    },
  };
  globalThis.dispatchEvent(new Event("itaku-runtime"));
}
