// Small DOM helpers shared by the generator page and the checklist pages.
// Classic script (works on file://): defines window.ItakuPage. User text is only
// ever set through textContent / attributes, never parsed as HTML.
(function () {
  "use strict";

  const TYPES = {
    ".json": "application/json",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false && child !== "") node.append(child);
    return node;
  }

  // A message paragraph; errors are announced (role=alert).
  function message(node, text, isError) {
    node.replaceChildren();
    if (!text) return;
    node.append(el("p", { class: isError ? "itaku-error" : "itaku-ok", role: isError ? "alert" : null, text }));
  }

  // Save bytes under a file name through a blob: URL (no request leaves the page).
  function saveBlob(name, buffer) {
    const ext = name.slice(name.lastIndexOf("."));
    const url = URL.createObjectURL(new Blob([buffer], { type: TYPES[ext] || "application/octet-stream" }));
    const save = () => {
      const link = el("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
    };
    const wait = downloadDelay();
    if (wait > 0) setTimeout(save, wait);
    else save();
    setTimeout(() => URL.revokeObjectURL(url), 60000 + wait);
  }

  // Chromium drops, without a word, a page's 11th download when it comes less than a second after
  // the first of a burst of ten (Blink's LocalFrame::ShouldThrottleDownload: a burst of at most ten,
  // reset by the first download more than a second after the burst began). Someone who clicks
  // through every file, already made, can do that; so downloads are spaced to mirror the rule: the
  // 11th of a burst waits for the next second and starts a new burst. Returns the wait in ms.
  const BURST = 10;
  const BURST_MS = 1000;
  const burst = { start: 0, count: 0, last: 0 };
  function downloadDelay() {
    const now = performance.now();
    let at = Math.max(now, burst.last);
    if (burst.count >= BURST) {
      if (at - burst.start <= BURST_MS) at = burst.start + BURST_MS + 50;
      burst.count = 0;
    }
    if (burst.count === 0) burst.start = at;
    burst.count += 1;
    burst.last = at;
    return at - now;
  }

  // The start-up progress of the checklist and register pages: #itaku-progress, its label and the
  // .itaku-stages list under ``root``. ``stages``: stage → [from %, to %, label], in order.
  function showProgress(root, stages, stage, fraction) {
    const [from, to, label] = stages[stage];
    const bar = document.getElementById("itaku-progress");
    bar.value = Math.round(from + (to - from) * (fraction || 0));
    bar.textContent = bar.value + "%";
    document.getElementById("itaku-progress-label").textContent = "Python を準備しています：" + label;
    const order = Object.keys(stages);
    for (const li of root.querySelectorAll(".itaku-stages li")) {
      const done = order.indexOf(li.dataset.stage) < order.indexOf(stage) || stage === "ready";
      li.classList.toggle("itaku-done", done);
      li.classList.toggle("itaku-current", li.dataset.stage === stage);
      if (li.dataset.stage === stage) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
    }
  }

  // Start the shared Python runtime (assets/generator/loader.js) for a page. ``base`` is the
  // page-relative path of assets/generator/. Query parameters: ?timeout=ms, ?worker=0. ``options`` go to
  // ItakuLoader.start (e.g. warmUp).
  // Rejects with an Error whose message is a Japanese sentence for the user.
  async function startRuntime(base, onProgress, options) {
    const params = new URLSearchParams(location.search);
    const timeoutMs = Number(params.get("timeout")) || 120000; // slow PCs and busy machines: 60 s was too short
    if (typeof WebAssembly !== "object" || !globalThis.ItakuLoader) {
      throw new Error("このブラウザでは Python（WebAssembly）を動かせません。");
    }
    try {
      const client = await globalThis.ItakuLoader.start({
        base: new URL(base, location.href).href,
        onProgress,
        timeoutMs,
        useWorker: params.get("worker") !== "0",
        ...(options || {}),
      });
      // The site-root edition.js, validated by Python before any other call; the edition in force
      // goes to the footer, with a message if edition.js was not usable.
      if (globalThis.ItakuEdition) {
        const { value } = await client.call("set_edition", [globalThis.ItakuEdition.forPython()]);
        client.edition = value;
        globalThis.ItakuEdition.report(value);
      }
      return client;
    } catch (error) {
      throw new Error(error && error.message === "timeout"
        ? `Python の準備が ${Math.round(timeoutMs / 1000)} 秒以内に終わりませんでした。ページを再読み込みするか、別のブラウザで開いてください。`
        : "Python を準備できませんでした（" + String(error && error.message || error) + "）。");
    }
  }

  // Python for a page that starts it on first use (the checklist and register pages).
  // ``runtime.ensure()`` resolves to the client, or to null after saying why in ``out`` (the
  // runtime's reason, then ``failure``); a later call tries again. While it starts,
  // root[data-state] is "loading" and #itaku-loading shows the stages; then root[data-mode] is
  // the runtime's mode and root[data-state] becomes ``readyState`` (when given).
  function runtimeOnDemand(root, base, stages, out, failure, readyState) {
    const loading = document.getElementById("itaku-loading");
    const progress = (stage, fraction) => {
      showProgress(root, stages, stage, fraction);
      root.dataset.stage = stage;
    };
    const runtime = { client: null, starting: null };
    runtime.ensure = () => {
      if (runtime.client) return Promise.resolve(runtime.client);
      if (runtime.starting) return runtime.starting;
      runtime.starting = (async () => {
        root.dataset.state = "loading";
        loading.hidden = false;
        try {
          runtime.client = await startRuntime(base, progress);
        } catch (error) {
          root.dataset.state = "error";
          loading.hidden = true;
          message(out, error.message + failure, true);
          runtime.starting = null;
          return null;
        }
        progress("ready", 1);
        loading.hidden = true;
        root.dataset.mode = runtime.client.mode;
        if (readyState) root.dataset.state = readyState;
        return runtime.client;
      })();
      return runtime.starting;
    };
    return runtime;
  }

  // The bytes of the file chosen in an <input type=file>, which is then cleared (so that the same
  // file can be chosen again); null when nothing was chosen.
  async function readFile(input) {
    const file = input.files && input.files[0];
    if (!file) return null;
    const buffer = await file.arrayBuffer();
    input.value = "";
    return buffer;
  }

  // The autosave of one page in localStorage (issue 31). ``note`` is the page's storage note; the
  // warning goes right after it, as an alert. Two promises:
  // - when the browser refuses to save (storage disabled or full) the page says so at once and
  //   tells what to download instead (``failure``); nothing saved earlier is deleted;
  // - when another tab of the same page saves under the same key (a storage event), this tab stops
  //   saving and says so before it would overwrite that work: the user chooses to overwrite
  //   (``onOverwrite`` is then called to save again) or to reload and see the other tab's work.
  // ``write(text)`` returns true when the text was saved.
  function autosave(key, note, failure) {
    const state = { other: false, failed: false, onOverwrite: null };
    let box = null;
    function show(text, other) {
      if (!box) {
        box = el("div", { id: "itaku-autosave-warning", class: "itaku-autosave-warning admonition warning" });
        (note || document.body).after(box);
      }
      box.replaceChildren(el("p", { role: "alert", text }));
      box.dataset.reason = other ? "other-tab" : "failed";
      if (other) {
        const overwrite = el("button", { type: "button", class: "md-button", "data-autosave": "overwrite",
                                         text: "このタブの入力で上書き保存する" });
        const reload = el("button", { type: "button", class: "md-button md-button--primary", "data-autosave": "reload",
                                      text: "再読み込みして、もう一方のタブの入力を表示する" });
        overwrite.addEventListener("click", () => {
          state.other = false;
          hide();
          if (state.onOverwrite) state.onOverwrite();
        });
        reload.addEventListener("click", () => location.reload());
        box.append(el("p", {}, reload, " ", overwrite));
      }
      box.hidden = false;
    }
    function hide() {
      if (box) { box.hidden = true; box.replaceChildren(); delete box.dataset.reason; }
    }
    window.addEventListener("storage", (event) => {
      if (event.key !== key) return;
      state.other = true;
      show("このページは別のタブ（又はウィンドウ）でも開かれていて、そちらの入力がこのブラウザに保存されました。"
           + "このタブの入力は、上書きしないよう保存を止めています。どちらの入力を残すか選んでください。", true);
    });
    state.write = (text) => {
      if (state.other) return false;
      try {
        localStorage.setItem(key, text);
      } catch (error) {
        state.failed = true;
        show(failure, false);
        return false;
      }
      if (state.failed) { state.failed = false; hide(); }
      return true;
    };
    state.remove = () => {
      if (state.other) return;
      try { localStorage.removeItem(key); } catch (error) { /* unavailable */ }
    };
    return state;
  }

  window.ItakuPage = { el, message, saveBlob, showProgress, startRuntime, runtimeOnDemand, readFile, autosave };
})();
