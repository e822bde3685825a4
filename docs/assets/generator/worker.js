// The Python side of the generator page: one Pyodide interpreter running itaku.web.
//
// Runs as a module worker (the usual case) or, as a fallback, on the main
// thread; loader.js talks to it with the same messages either way:
//   page → runtime  {type: "init", indexURL, lockFileContents, wheels: [name], warmUp, early}  (warmUp: generate one
//                                                 example after openpyxl is imported, so the first download is fast;
//                                                 early: load openpyxl only after the first `state` is answered)
//                   {type: "file", name, data}   (name: "wasm" | "stdlib" | "wheel:NAME"; data: gzip, ArrayBuffer;
//                                                 may come before or after init)
//                   {type: "call", id, method, args, data?}      (data: an uploaded file, ArrayBuffer)
//   runtime → page  {type: "progress", stage}                    ("python", "libraries")
//                   {type: "ready"}                               (itaku.web imported)
//                   {type: "libraries-ready"}                     (openpyxl imported and warmed; downloads can run)
//                   {type: "result", id, value, files}            (files: {name: ArrayBuffer}, transferred)
//                   {type: "failed", message}
// overrides/hooks/generator_assets.py puts Pyodide in front of this file
// (globalThis.__itakuRuntime) and the page starts the whole from a data: URL, over
// http and file:// alike; this file is not shipped on its own.
// All Python lives in src/itaku/web.py (dispatch); nothing here evaluates user text.

const IN_WORKER = typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope;
let post = (message, transfer) => self.postMessage(message, transfer || []);
let pyodide = null;
let dispatch = null;
let librariesReady = null;
let afterFirstState = null; // resolves the start of the library loading (generator page)
// Calls that never touch openpyxl run at once; the others wait until it is installed and imported.
// (job_scope and summary import itaku.checks, which imports openpyxl.)
const WITHOUT_OPENPYXL = new Set(["state", "example", "load", "questionnaire", "record", "answers_file",
                                  "set_edition", "edition_preview"]);

// The compressed files from the page, as promises that settle when their message arrives.
const files = new Map();
function file(name) {
  if (!files.has(name)) {
    let resolve;
    const promise = new Promise((r) => { resolve = r; });
    files.set(name, { promise, resolve });
  }
  return files.get(name);
}

function gunzip(buffer) {
  return new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
}

function fetchStandIn(indexURL) {
  // Pyodide fetches the wasm and the stdlib from indexURL; answer those two (decompressed as they
  // stream, so the wasm compiles while it inflates) and nothing else: no request leaves the page.
  // On the main thread (the fallback) the page's own requests (Material's search index) pass through.
  const served = { "pyodide.asm.wasm": ["wasm", "application/wasm"], "python_stdlib.zip": ["stdlib", "application/zip"] };
  const original = IN_WORKER ? null : globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input, options) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    for (const [name, [key, type]] of Object.entries(served)) {
      if (url === indexURL + name) {
        return new Response(gunzip(await file(key).promise), { headers: { "Content-Type": type } });
      }
    }
    if (original && !url.startsWith(indexURL)) return original(input, options);
    throw new TypeError("itaku: offline stand-in has no " + url);
  };
}

async function wheelBytes(name) {
  return new Uint8Array(await new Response(gunzip(await file("wheel:" + name).promise)).arrayBuffer());
}

async function start(init) {
  globalThis.__itakuIndexURL = init.indexURL;
  post({ type: "progress", stage: "python" });
  fetchStandIn(init.indexURL);
  // Our wheel is needed for `ready`; openpyxl and et_xmlfile only for downloads (installed after `ready`).
  const ours = init.wheels.filter((name) => name.startsWith("itaku-"));
  const later = init.wheels.filter((name) => !name.startsWith("itaku-"));
  const wheels = Promise.all(ours.map(wheelBytes)); // in parallel with the interpreter start
  const laterWheels = Promise.all(later.map(wheelBytes));
  const bundled = globalThis.__itakuRuntime;
  pyodide = await bundled.pyodide.loadPyodide({
    indexURL: init.indexURL, packageBaseUrl: init.indexURL, lockFileContents: init.lockFileContents,
    createPyodideModule: bundled.createPyodideModule,
  });
  post({ type: "progress", stage: "libraries" });
  const site = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const bytes of await wheels) pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  const web = pyodide.pyimport("itaku.web");
  dispatch = web.dispatch;
  // openpyxl and the renderers (~0.6 s) load after `ready`, then (generator page) one job is generated
  // and thrown away so that the first real download finds every module and cache warm; a download waits.
  // With `early` (the generator page) they start once the page's first preview is drawn (its first
  // `state` call has been answered), or after 2 s: started at once, they held the first preview back
  // by their whole length, since a worker answers one thing at a time.
  const go = init.early ? new Promise((resolve) => { afterFirstState = resolve; setTimeout(resolve, 2000); })
                        : new Promise((resolve) => setTimeout(resolve, 0));
  post({ type: "ready" });
  librariesReady = go.then(async () => {
    for (const bytes of await laterWheels) pyodide.unpackArchive(bytes, "wheel", { extractDir: site });
    pyodide.runPython("import importlib; importlib.invalidate_caches()");
    pyodide.pyimport("itaku.render.xlsx");
    pyodide.pyimport("itaku.render.docx");
    if (init.warmUp) pyodide.runPython("import itaku.web as w\nfor e in w.corpus().data.get('examples', [])[:1]: w.generate(e['answers'])");
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
  if (message.type === "file") {
    file(message.name).resolve(message.data);
    return;
  }
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
      if (!WITHOUT_OPENPYXL.has(message.method)) await librariesReady;
      const { value, files } = call(message);
      post({ type: "result", id: message.id, value, files }, Object.values(files));
      if (message.method === "state" && afterFirstState) setTimeout(afterFirstState, 0);
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
