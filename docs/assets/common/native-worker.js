// Loaded before the iframe-worker shim (mkdocs.yml extra.polyfills). On file:// the shim replaces window.Worker
// with an iframe-based stand-in (for Material's search); the generator's runtime (assets/generator/loader.js)
// needs the browser's own Worker, kept here. A worker taken from a hidden iframe instead (the older way, still the
// fallback) belongs to that frame's document; file:// starts that stalled for minutes were seen only on that route.
globalThis.ItakuNativeWorker = globalThis.Worker;
