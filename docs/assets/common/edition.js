// The local edition on every page: what the site-root edition.js set, shown in the footer.
//
// overrides/main.html loads, in the <head> and in this order (classic scripts, so file:// works):
//   this file  →  <script src="edition.js" onerror="ItakuEdition.missing()">  →  ItakuEdition.end()
// While edition.js runs, an error (a syntax error, an exception) is caught here and
// cancelled, so a broken file never becomes a console error; the page then uses the
// built-in edition and says so. On file:// such errors are "muted" (no file name), which is
// why the window between this file and end() identifies them, not the file name.
// Python validates the fields (itaku.edition); pages that run Python pass
// ItakuEdition.forPython() to it and show its verdict with ItakuEdition.report().
// The hash is SHA-256 of the canonical JSON (sorted keys, NFC, no spaces), the same
// as itaku.edition.edition_hash, so footer, stamp and settings page agree.
(function () {
  "use strict";

  const state = { status: "missing", error: "", loading: true, text: null, value: null };

  // An edition file loaded into this browser only (settings page, issue 30): for a read-only share whose
  // edition.js the user cannot replace. It replaces the site's edition on every page of this browser,
  // marked at the top of each page, until removed. Only its JSON is kept (the file is never run).
  const LOCAL_KEY = "itaku-edition-local";
  function readLocal() {
    try {
      const saved = JSON.parse(localStorage.getItem(LOCAL_KEY) || "null");
      const value = saved && typeof saved.text === "string" ? JSON.parse(saved.text) : null;
      if (value && typeof value === "object" && !Array.isArray(value)) return { ...saved, value };
    } catch (error) {
      /* storage unavailable or unreadable: the site's edition */
    }
    return null;
  }

  // The object an edition.js file sets (「globalThis.ITAKU_EDITION = {…};」) or a plain JSON file, without running it.
  function parseFile(text) {
    const body = String(text).replace(/^\uFEFF/, "").trim().replace(/^[\s\S]*?ITAKU_EDITION\s*=\s*/, "").replace(/;\s*$/, "");
    try {
      const value = JSON.parse(body);
      return value && typeof value === "object" && !Array.isArray(value) ? value : null;
    } catch (error) {
      return null;
    }
  }

  function onError(event) {
    if (!state.loading) return;
    event.preventDefault();
    state.status = "broken";
    const text = event.message && event.message !== "Script error." ? String(event.message) : "";
    state.error = text ? "スクリプトの誤り：" + text : "スクリプトとして実行できません";
  }
  window.addEventListener("error", onError);

  function end() {
    state.loading = false;
    window.removeEventListener("error", onError);
    state.site = { status: state.status, value: "ITAKU_EDITION" in globalThis ? globalThis.ITAKU_EDITION : null };
    const local = readLocal();
    if (local) {
      state.local = { name: String(local.name || ""), file: String(local.file || ""), saved: String(local.saved || "") };
      state.status = "loaded";
      state.error = "";
      state.text = JSON.stringify(local.value);
      state.value = local.value;
      return;
    }
    if (state.status === "broken") return;
    if (!("ITAKU_EDITION" in globalThis)) {
      if (state.found) {
        state.status = "broken";
        state.error = "globalThis.ITAKU_EDITION が設定されていません";
      }
      return;
    }
    const value = globalThis.ITAKU_EDITION;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      state.status = "broken";
      state.error = "ITAKU_EDITION が対応表（{…}）ではありません";
      return;
    }
    try {
      state.text = JSON.stringify(value);
      state.value = JSON.parse(state.text);
      state.status = "loaded";
    } catch (error) {
      state.status = "broken";
      state.error = "設定を JSON にできません";
    }
  }

  // Pages without Python cannot run itaku.edition; they check the fields against the rules the build
  // wrote into the footer (keys, required, lengths, choices), so that an invalid file is never shown as
  // in force. Python's check (stricter: clauses, items, placeholders) replaces this verdict where it runs.
  function problems(value) {
    const node = document.getElementById("itaku-edition");
    let rules = null;
    try {
      rules = JSON.parse(node ? node.dataset.editionRules || "null" : "null");
    } catch (error) {
      rules = null;
    }
    if (!rules) return [];
    const out = [];
    const known = new Set(rules.fields.map((f) => f.key).concat(rules.lists));
    for (const key of Object.keys(value)) if (!known.has(key)) out.push(`未知の項目「${key}」があります。`);
    for (const f of rules.fields) {
      const v = value[f.key];
      const where = `${f.key}（${f.label}）`;
      if (v === undefined || v === null || v === "") {
        if (f.required) out.push(`${where}：入力が必要です。`);
      } else if (f.choices) {
        if (!f.choices.includes(v)) out.push(`${where}：${f.choices.join("・")} のいずれかです。`);
      } else if (typeof v !== "string") {
        out.push(`${where}：文字列で書いてください。`);
      } else if ([...v.normalize("NFC").trim()].length > f.max) {
        out.push(`${where}：${f.max}文字以内にしてください。`);
      }
    }
    for (const key of rules.lists) {
      if (value[key] !== undefined && !Array.isArray(value[key])) out.push(`${key}：一覧（[…]）で書いてください。`);
    }
    return out;
  }

  // ------------------------------------------------------------------ hash (SHA-256, synchronous)

  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

  function sha256(text) {
    const data = new TextEncoder().encode(text);
    const length = ((data.length + 9 + 63) >> 6) << 6;
    const bytes = new Uint8Array(length);
    bytes.set(data);
    bytes[data.length] = 0x80;
    const view = new DataView(bytes.buffer);
    view.setUint32(length - 8, Math.floor(data.length / 0x20000000));
    view.setUint32(length - 4, (data.length << 3) >>> 0);
    const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let off = 0; off < length; off += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
    return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
  }

  // Python sorts keys by code point; JavaScript's < compares UTF-16 units (differs above U+FFFF).
  function byCodePoint(x, y) {
    const a = Array.from(x, (c) => c.codePointAt(0));
    const b = Array.from(y, (c) => c.codePointAt(0));
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }

  function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value && typeof value === "object") {
      const keys = Object.keys(value).map((k) => [k.normalize("NFC"), k]).sort((x, y) => byCodePoint(x[0], y[0]));
      return "{" + keys.map(([n, k]) => JSON.stringify(n) + ":" + canonical(value[k])).join(",") + "}";
    }
    if (typeof value === "string") return JSON.stringify(value.normalize("NFC"));
    return JSON.stringify(value);
  }

  function hash(value) {
    return sha256(canonical(value));
  }

  // ------------------------------------------------------------------ footer and message

  function footer(name, shortHash, source) {
    const node = document.getElementById("itaku-edition");
    if (!node) return;
    node.querySelector(".itaku-edition-name").textContent = name;
    node.querySelector(".itaku-edition-hash").textContent = shortHash;
    node.dataset.editionName = name;
    node.dataset.editionHash = shortHash;
    node.dataset.editionSource = source;
  }

  function alert(text) {
    let node = document.getElementById("itaku-edition-message");
    if (!text) {
      if (node) node.remove();
      return;
    }
    if (!node) {
      node = document.createElement("div");
      node.id = "itaku-edition-message";
      node.className = "admonition warning itaku-edition-message";
      node.setAttribute("role", "alert");
      const where = document.querySelector(".md-content__inner") || document.body;
      where.prepend(node);
    }
    node.textContent = text;
  }

  function builtinName() {
    const node = document.getElementById("itaku-edition");
    return node ? node.dataset.builtinName : "";
  }

  function brokenMessage() {
    return `edition.js を読み込めませんでした（${state.error}）。組み込みの版（${builtinName()}）を使っています。`;
  }

  function missingMessage() {
    return `団体の設定（edition.js）がサイトのフォルダにありません。組み込みの版（${builtinName()}）を使っています。`
      + "団体の設定のページで edition.js を作り、index.html と同じフォルダに置いてください。";
  }

  function invalidMessage() {
    return `edition.js の設定に誤りがあるため、組み込みの版（${builtinName()}）を使っています。` + state.invalid.join(" ");
  }

  function builtinFooter() {
    const node = document.getElementById("itaku-edition");
    if (node) footer(node.dataset.builtinName, node.dataset.builtinHash, "builtin");
  }

  // The mark of a browser-only edition: its own box (Python's messages use #itaku-edition-message).
  function localNotice() {
    if (!state.local || document.getElementById("itaku-edition-local")) return;
    const node = document.createElement("div");
    node.id = "itaku-edition-local";
    node.className = "admonition info itaku-edition-local";
    const name = typeof state.value.org_name === "string" ? state.value.org_name : "（団体名なし）";
    const text = document.createElement("p");
    text.textContent = `このブラウザでは、読み込んだ団体の設定（${name}${state.local.file ? "、" + state.local.file : ""}）を使っています。`
      + "サイトのフォルダの edition.js ではありません。作る文書にはこの設定が入ります。";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.id = "itaku-edition-local-remove";
    button.textContent = "このブラウザの設定を外す";
    button.addEventListener("click", () => {
      clearLocal();
      location.reload();
    });
    node.append(text, button);
    (document.querySelector(".md-content__inner") || document.body).prepend(node);
  }

  function setLocal(value, file) {
    try {
      localStorage.setItem(LOCAL_KEY, JSON.stringify({ text: JSON.stringify(value), name: String(value.org_name || ""),
                                                       file: String(file || ""), saved: new Date().toISOString().slice(0, 10) }));
      return "";
    } catch (error) {
      return "このブラウザに保存できませんでした（保存領域が使えないか、いっぱいです）。";
    }
  }

  function clearLocal() {
    try {
      localStorage.removeItem(LOCAL_KEY);
    } catch (error) {
      /* nothing kept */
    }
  }

  function show() {
    localNotice();
    if (state.status === "loaded" && !state.invalid) {
      const found = problems(state.value);
      state.invalid = found.length ? found : null;
    }
    if (state.status === "broken") {
      alert(brokenMessage());
      builtinFooter();
    } else if (state.status === "missing" && state.missingFile) {
      alert(missingMessage());
      builtinFooter();
    } else if (state.status === "loaded" && state.invalid) {
      alert(invalidMessage());
      builtinFooter();
    } else if (state.status === "loaded") {
      const name = typeof state.value.org_name === "string" ? state.value.org_name : "（団体名なし）";
      footer(name, hash(state.value).slice(0, 8), state.local ? "browser" : "edition.js");
    }
  }

  // Python's verdict (web.set_edition / questionnaire().edition): the edition actually in force.
  function report(summary) {
    if (!summary) return;
    footer(summary.name, summary.short_hash, state.local && summary.source !== "builtin" ? "browser" : summary.source);
    alert(summary.message || (state.status === "broken" ? brokenMessage()
      : state.status === "missing" && state.missingFile ? missingMessage() : ""));
  }

  function forPython() {
    return { status: state.status, text: state.text, error: state.error };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();

  globalThis.ItakuEdition = {
    end,
    missing() { state.status = "missing"; state.missingFile = true; },
    found() { state.found = true; },
    status: () => ({ status: state.status, error: state.error, value: state.value, local: state.local || null,
                     site: state.site || null }),
    parseFile,
    setLocal,
    clearLocal,
    forPython,
    report,
    hash,
    sha256,
    canonical,
  };
})();
