// Starts the Python runtime of the generator page (docs/assets/generator/worker.js) and talks to it.
//
//   ItakuLoader.start({base, onProgress, timeoutMs, useWorker}) → Promise<client>
//   client.call(method, args, data?) → Promise<{value, files}>   (files: {name: ArrayBuffer})
//   client.ready  → Promise<questionnaire>;  client.mode → "worker" | "main"
//
// http(s): a module worker from the same-origin worker.js; worker.js imports the
//   vendored assets/vendor/pyodide/pyodide.mjs and fetches the wasm, stdlib and wheels.
// file://: Chromium refuses fetch(), module imports and workers of file:// URLs, so the
//   hook (overrides/hooks/generator_assets.py) emits classic scripts setting global
//   strings: file/runtime.js (Pyodide + worker.js as one module source), file/wasm.js,
//   file/stdlib.js, file/wheels.js (base64). They are loaded with <script> tags, decoded
//   here, and the ArrayBuffers are transferred to a module worker started from a data:
//   URL (a blob: module worker never starts on file://); its fetch stand-in answers the
//   wasm and the stdlib. indexURL is absolute (a data: worker has no usable location).
// Fallback: useWorker=false (?worker=0), or a worker that cannot be created or fails
//   before its first message, runs the same worker.js on the main thread.
// The page's own timeout (a missing wasm makes stock Pyodide hang) rejects the start.
(function () {
  "use strict";

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
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text).buffer;
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  // The init message (and the buffers to transfer) for each way of opening the site.
  async function prepare(base, onProgress, config) {
    const indexURL = new URL("../vendor/pyodide/", base).href;
    if (location.protocol !== "file:") {
      return {
        init: { type: "init", mode: "http", indexURL,
                wheels: config.wheels.map((name) => ({ name, url: new URL("wheels/" + name, base).href })) },
        transfer: [],
      };
    }
    const parts = ["file/runtime.js", "file/wasm.js", "file/stdlib.js", "file/wheels.js"];
    let done = 0;
    await Promise.all(parts.map((part) => loadScript(new URL(part, base).href).then(() => {
      done += 1;
      onProgress("load", done / parts.length);
    })));
    const files = globalThis.ITAKU_FILE;
    const wasm = decodeBase64(files.wasm);
    const stdlib = decodeBase64(files.stdlib);
    const wheels = config.wheels.map((name) => ({ name, data: decodeBase64(files["wheel:" + name]) }));
    const init = { type: "init", mode: "file", indexURL, wheels, wasm, stdlib, lockFileContents: files.lock };
    // The strings are no longer needed; the buffers move to the worker.
    for (const key of ["wasm", "stdlib"].concat(config.wheels.map((n) => "wheel:" + n))) files[key] = null;
    return { init, transfer: [wasm, stdlib].concat(wheels.map((w) => w.data)), runtime: files.runtime };
  }

  // Material's search polyfill (iframe-worker) replaces window.Worker on file:// with an
  // iframe that runs classic scripts only; take the browser's own Worker from a blank frame.
  function nativeWorker() {
    if (!globalThis.IFrameWorker || globalThis.Worker !== globalThis.IFrameWorker) return globalThis.Worker;
    const frame = document.createElement("iframe");
    frame.hidden = true;
    frame.title = "Python 実行用（表示なし）";
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    document.body.appendChild(frame);
    return frame.contentWindow.Worker;
  }

  function createWorker(base, runtime) {
    if (location.protocol === "file:") {
      const NativeWorker = nativeWorker();
      return new NativeWorker("data:text/javascript;charset=utf-8," + encodeURIComponent(runtime), { type: "module" });
    }
    return new Worker(new URL("worker.js", base).href, { type: "module" });
  }

  function mainThreadRuntime(base, runtime) {
    return new Promise((resolve, reject) => {
      if (globalThis.ItakuRuntime) return resolve(globalThis.ItakuRuntime);
      globalThis.addEventListener("itaku-runtime", () => resolve(globalThis.ItakuRuntime), { once: true });
      const script = document.createElement("script");
      script.type = "module";
      if (runtime) {
        script.textContent = runtime; // inline module: allowed on file://
      } else {
        script.src = new URL("worker.js", base).href;
        script.onerror = () => reject(new Error("worker.js を読み込めませんでした"));
      }
      document.head.appendChild(script);
    });
  }

  async function run(options, state) {
    const base = options.base;
    const onProgress = options.onProgress || (() => {});
    const config = globalThis.ITAKU_GENERATOR_CONFIG;
    if (!config) throw new Error("config.js を読み込めませんでした");
    if (typeof WebAssembly !== "object") throw new Error("このブラウザは WebAssembly に対応していません");

    let nextId = 1;
    const pending = new Map();
    let resolveReady, rejectReady, resolveLibraries;
    const ready = new Promise((resolve, reject) => { resolveReady = resolve; rejectReady = reject; });
    const librariesReady = new Promise((resolve) => { resolveLibraries = resolve; });
    let heard = false;

    function receive(message) {
      heard = true;
      if (message.type === "progress") onProgress(message.stage, 1);
      else if (message.type === "ready") resolveReady(message.questionnaire);
      else if (message.type === "libraries-ready") resolveLibraries();
      else if (message.type === "failed") rejectReady(new Error(message.message));
      else if (message.type === "result") {
        const entry = pending.get(message.id);
        pending.delete(message.id);
        if (entry) entry({ value: message.value, files: message.files || {} });
      }
    }

    onProgress("load", 0);
    const prepared = await prepare(base, onProgress, config);
    // The site-root edition.js as found (docs/assets/common/edition.js); Python validates it.
    if (globalThis.ItakuEdition) prepared.init.edition = globalThis.ItakuEdition.forPython();
    let send = null;
    let mode = "main";
    let worker = null;
    if (options.useWorker !== false && typeof Worker === "function") {
      try {
        worker = createWorker(base, prepared.runtime);
        state.worker = worker;
        mode = "worker";
      } catch (error) {
        worker = null;
      }
    }
    const startMain = async () => {
      mode = "main";
      const runtime = await mainThreadRuntime(base, prepared.runtime);
      send = runtime.connect(receive);
      send(prepared.init);
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
      send(prepared.init, prepared.transfer);
    } else {
      await startMain();
    }

    const questionnaire = await ready;
    return {
      get mode() { return mode; },
      questionnaire,
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
      }, options.timeoutMs || 60000);
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
