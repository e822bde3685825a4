// Starts the Python runtime of the generator page (docs/assets/generator/worker.js) and talks to it.
//
//   ItakuLoader.start({base, onProgress, timeoutMs, useWorker, early, warmUp}) → Promise<client>
//     early: resolve once itaku.web works (the generator page's `ready`), before openpyxl is
//     installed; otherwise (the checklist pages, whose every call needs openpyxl) after it.
//     warmUp: generate one example after openpyxl is imported (a fast first download).
//   client.call(method, args, data?) → Promise<{value, files}>   (files: {name: ArrayBuffer})
//   client.librariesReady → Promise (openpyxl imported);  client.mode → "worker" | "main"
//
// One route for http and file://. Chromium refuses fetch(), module imports and workers of
// file:// URLs, so the hook (overrides/hooks/generator_assets.py) emits classic scripts
// under runtime/ that set strings in globalThis.ITAKU_FILE, each base64 of a gzip:
// runtime.js (Pyodide + worker.js as one module source, and the lock file), wasm.js,
// stdlib.js, wheels.js. They load in parallel with <script> tags; the runtime is
// decompressed here (DecompressionStream) and started as a module worker from a data: URL
// (a blob: module worker never starts on file://) as soon as it arrives; the wasm, the
// stdlib and the wheels follow as still-compressed ArrayBuffers (transferred) whenever
// their script has run, and the worker decompresses them while Pyodide starts (its fetch
// stand-in answers the wasm and the stdlib). indexURL is absolute (a data: worker has no
// usable location).
// Fallback: useWorker=false (?worker=0), or a worker that cannot be created or fails
//   before its first message, runs the same runtime as an inline module on the main thread.
// The page's own timeout (a stalled runtime would otherwise wait forever) rejects the start.
(function () {
  "use strict";

  const PARTS = ["runtime.js", "wasm.js", "stdlib.js", "wheels.js"];

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error("読み込めませんでした: " + src));
      document.head.appendChild(script);
    });
  }

  function decodeBase64(text) {
    if (typeof text !== "string") throw new Error("runtime の一部がありません");
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text).buffer;
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  // A string of ITAKU_FILE as an ArrayBuffer (still gzip); the string is dropped once decoded.
  function take(name) {
    const files = globalThis.ITAKU_FILE || {};
    const buffer = decodeBase64(files[name]);
    files[name] = null;
    return buffer;
  }

  function gunzipText(buffer) {
    return new Response(new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
  }

  // Material's search polyfill (iframe-worker) replaces window.Worker on file:// with an
  // iframe that runs classic scripts only; use the browser's own Worker that
  // assets/common/native-worker.js kept before the polyfill ran, else take one from a blank frame.
  function nativeWorker() {
    if (!globalThis.IFrameWorker || globalThis.Worker !== globalThis.IFrameWorker) return globalThis.Worker;
    const kept = globalThis.ItakuNativeWorker;
    if (typeof kept === "function" && kept !== globalThis.IFrameWorker) return kept;
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "Python 実行用（表示なし）";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    document.body.appendChild(frame);
    return frame.contentWindow.Worker;
  }

  function mainThreadRuntime(runtime) {
    return new Promise((resolve) => {
      if (globalThis.ItakuRuntime) return resolve(globalThis.ItakuRuntime);
      globalThis.addEventListener("itaku-runtime", () => resolve(globalThis.ItakuRuntime), { once: true });
      const script = document.createElement("script");
      script.type = "module";
      script.textContent = runtime; // an inline module: allowed on file:// too
      document.head.appendChild(script);
    });
  }

  async function run(options, state) {
    const onProgress = options.onProgress || (() => {});
    const config = globalThis.ITAKU_GENERATOR_CONFIG;
    if (!config) throw new Error("config.js を読み込めませんでした");
    if (typeof WebAssembly !== "object") throw new Error("このブラウザは WebAssembly に対応していません");
    if (typeof DecompressionStream !== "function") throw new Error("このブラウザは DecompressionStream に対応していません");
    const dir = new URL("runtime/", options.base).href;

    let nextId = 1;
    const pending = new Map();
    let resolveReady, rejectReady, resolveLibraries;
    const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
    const librariesReady = new Promise((resolve) => { resolveLibraries = resolve; });
    let heard = false;
    const sent = [];

    function receive(message) {
      heard = true;
      sent.length = 0; // the runtime is running: nothing will be replayed
      if (message.type === "progress") onProgress(message.stage, 1);
      else if (message.type === "ready") resolveReady();
      else if (message.type === "libraries-ready") resolveLibraries();
      else if (message.type === "failed") rejectReady(new Error(message.message));
      else if (message.type === "result") {
        const entry = pending.get(message.id);
        pending.delete(message.id);
        if (entry) entry({ value: message.value, files: message.files || {} });
      }
    }

    onProgress("load", 0);
    let loaded = 0;
    const scripts = {};
    for (const part of PARTS) {
      scripts[part] = loadScript(dir + part).then(() => onProgress("load", ++loaded / PARTS.length));
      scripts[part].catch(() => {}); // reported where it is awaited
    }
    await scripts["runtime.js"];
    const runtime = await gunzipText(take("runtime"));
    const lockFileContents = await gunzipText(take("lock"));

    // Until the runtime answers, what was sent is kept, so that a worker that never starts can be
    // replaced by the main thread (buffers are copied, not transferred, for the same reason).
    let send = null;
    let mode = "main";
    let worker = null;
    const post = (message) => {
      if (!heard) sent.push(message);
      send(message);
    };
    if (options.useWorker !== false && typeof Worker === "function") {
      try {
        const NativeWorker = nativeWorker();
        worker = new NativeWorker("data:text/javascript;charset=utf-8," + encodeURIComponent(runtime), { type: "module" });
        state.worker = worker;
        mode = "worker";
      } catch (error) {
        worker = null;
      }
    }
    const startMain = async () => {
      mode = "main";
      const handle = (await mainThreadRuntime(runtime)).connect(receive);
      send = (message) => handle(message);
      for (const message of sent) handle(message); // replay what the worker never got
    };
    if (worker) {
      worker.onmessage = (event) => receive(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        if (!heard) {
          // A worker that never started (old browser, policy): run on the main thread.
          worker.terminate();
          worker = null;
          startMain().catch(rejectReady);
        } else {
          rejectReady(new Error("Python の実行中にエラーが発生しました"));
        }
      };
      send = (message, transfer) => worker.postMessage(message, transfer || []);
    } else {
      await startMain();
    }
    post({ type: "init", indexURL: dir, lockFileContents, wheels: config.wheels, warmUp: Boolean(options.warmUp),
           early: Boolean(options.early) });
    const deliver = (part, names) => scripts[part].then(() => {
      for (const name of names) {
        const data = take(name);
        post({ type: "file", name, data });
      }
    }, (error) => rejectReady(error));
    deliver("wasm.js", ["wasm"]);
    deliver("stdlib.js", ["stdlib"]);
    deliver("wheels.js", config.wheels.map((name) => "wheel:" + name));

    await ready;
    if (!options.early) await librariesReady;
    return {
      get mode() { return mode; },
      librariesReady,
      call(method, args, data) {
        const id = nextId++;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          const message = { type: "call", id, method, args: args || [] };
          if (data) message.data = data;
          send(message, data ? [data] : []);
        });
      },
    };
  }

  // The page's own timeout covers everything from the first script to `ready`.
  async function start(options) {
    const state = { worker: null };
    let timer = null;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        if (state.worker) state.worker.terminate();
        reject(new Error("timeout"));
      }, options.timeoutMs || 120000);
    });
    const running = run(options, state);
    running.catch(() => {}); // reported through the race below (or ignored after a timeout)
    try {
      return await Promise.race([running, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  globalThis.ItakuLoader = { start };
})();
