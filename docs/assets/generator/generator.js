// The generator page (docs/generator/index.md): questionnaire, live preview, downloads.
//
// Every rule lives in Python (itaku.web): which questions are shown, validation
// messages, the preview HTML (already escaped), the files. This file only draws
// controls from web.questionnaire(), collects their values, and shows what
// Python returns. Messages and user values are written with textContent, never
// as HTML; the only HTML inserted is Python's escaped preview.
(function () {
  "use strict";

  const STORAGE_KEY = "itaku-generator-answers";
  const STAGES = { load: [0, 40, "読み込み"], python: [45, 70, "Python 起動"], libraries: [75, 95, "ライブラリ"],
                   ready: [100, 100, "準備完了"] };
  const root = document.getElementById("generator");
  const $ = (id) => document.getElementById(id);
  const config = globalThis.ITAKU_GENERATOR_CONFIG || { outputs: {} };

  let client = null;
  let questionnaire = null;
  let questions = []; // flat list of {key, type, ...}
  let latest = null; // the last state() result
  let generated = null; // {key: JSON of the answers, files}
  let seq = 0;
  let timer = null;
  // Errors show for questions the user has touched, or for all once answers were loaded or a
  // download was tried, so that a first visit does not open with a wall of red.
  const touched = new Set();
  let showAll = false;

  // ------------------------------------------------------------------ helpers

  const { el, saveBlob } = window.ItakuPage;
  const message = window.ItakuPage.message;

  function setText(node, text) {
    node.textContent = text || "";
  }

  function progress(stage, fraction) {
    if (!performance.getEntriesByName("itaku-" + stage).length) performance.mark("itaku-" + stage);
    const [from, to, label] = STAGES[stage];
    const bar = $("itaku-progress");
    bar.value = Math.round(from + (to - from) * (fraction || 0));
    bar.textContent = bar.value + "%";
    setText($("itaku-progress-label"), "準備しています：" + label);
    root.dataset.stage = stage;
    for (const item of document.querySelectorAll(".itaku-stages li")) {
      const order = Object.keys(STAGES);
      const done = order.indexOf(item.dataset.stage) < order.indexOf(stage);
      item.classList.toggle("itaku-done", done || stage === "ready");
      item.classList.toggle("itaku-current", item.dataset.stage === stage);
      if (item.dataset.stage === stage) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    }
  }

  function fail(text) {
    root.dataset.state = "error";
    $("itaku-loading").hidden = true;
    const box = $("itaku-fatal");
    box.hidden = false;
    box.replaceChildren(
      el("p", { text }),
      el("p", { text: "下の「Python を使わずに既製の文書を取得する」から、記入例の回答で作成済みの文書を入手できます。" }));
    const details = $("itaku-fallback");
    if (details) details.open = true;
  }

  // ------------------------------------------------------------------ the form

  function control(q) {
    const id = "q-" + q.key;
    const help = "help-" + q.key;
    const error = "err-" + q.key;
    const describedBy = `${help} ${error}`;
    const wrap = el("div", { class: "itaku-q", "data-key": q.key, id: "wrap-" + q.key });
    const required = q.required ? el("span", { class: "itaku-required", text: "必須" }) : null;
    const flag = el("span", { class: "itaku-flag", id: "flag-" + q.key, hidden: true });
    const helpNode = el("p", { class: "itaku-help", id: help, text: q.help || "" });
    const errorNode = el("p", { class: "itaku-field-error", id: error, hidden: true });
    if (q.type === "choice" || q.type === "multi") {
      const group = el("fieldset", { class: "itaku-group", "aria-describedby": describedBy, id });
      const legend = el("legend", {}, document.createTextNode(q.label), required ? " " : null, required, flag);
      group.append(legend);
      for (const [i, choice] of (q.choices || []).entries()) {
        const cid = `${id}-${i}`;
        const input = el("input", { type: q.type === "choice" ? "radio" : "checkbox", name: q.key, id: cid,
                                    value: choice.value });
        group.append(el("div", { class: "itaku-choice" }, input, el("label", { for: cid, text: choice.label })));
      }
      wrap.append(group, helpNode, errorNode);
      return wrap;
    }
    if (q.type === "bool") {
      const input = el("input", { type: "checkbox", name: q.key, id, "aria-describedby": describedBy });
      const label = el("label", { for: id }, document.createTextNode(q.label), flag);
      wrap.append(el("div", { class: "itaku-choice itaku-bool" }, input, label), helpNode, errorNode);
      return wrap;
    }
    const attrs = { name: q.key, id, "aria-describedby": describedBy, "aria-required": q.required ? "true" : null,
                    autocomplete: "off" };
    if (q.type === "date") attrs.type = "date";
    else if (q.type === "integer") Object.assign(attrs, { type: "text", inputmode: "numeric" });
    else attrs.type = "text";
    const input = el("input", attrs);
    const label = el("label", { for: id }, document.createTextNode(q.label), required ? " " : null, required, flag);
    wrap.append(label, input, helpNode, errorNode);
    return wrap;
  }

  function buildForm() {
    const steps = $("itaku-steps");
    steps.replaceChildren();
    questions = [];
    for (const step of questionnaire.steps) {
      const fieldset = el("fieldset", { class: "itaku-step", id: "step-" + step.id, "data-step": step.id });
      fieldset.append(el("legend", { text: step.title }));
      for (const q of step.questions) {
        questions.push(q);
        fieldset.append(control(q));
      }
      steps.append(fieldset);
    }
    const list = $("itaku-removable-list");
    list.replaceChildren();
    for (const clause of questionnaire.removable) {
      const id = "remove-" + clause.id;
      const reasonId = "reason-" + clause.id;
      const errId = "err-removed-" + clause.id;
      const box = el("input", { type: "checkbox", id, "data-remove": clause.id,
                                "aria-describedby": "itaku-removable-help", "aria-controls": "wrap-" + reasonId });
      const reason = el("div", { class: "itaku-q itaku-reason", id: "wrap-" + reasonId, hidden: true },
        el("label", { for: reasonId }, document.createTextNode(`「${clause.title}」を外す理由 `),
           el("span", { class: "itaku-required", text: "必須" })),
        el("textarea", { id: reasonId, "data-reason": clause.id, rows: 2, "aria-describedby": errId,
                         "aria-required": "true" }),
        el("p", { class: "itaku-field-error", id: errId, hidden: true }));
      list.append(el("div", { class: "itaku-choice" }, box,
                     el("label", { for: id, text: `「${clause.title}」の条文を外す` })), reason);
    }
    const select = $("itaku-example");
    select.replaceChildren(el("option", { value: "", text: "（記入例を選んでください）" }));
    for (const example of questionnaire.examples) {
      select.append(el("option", { value: example.id, text: example.title }));
    }
    const downloads = $("itaku-download-list");
    downloads.replaceChildren();
    for (const [name, label] of Object.entries(config.outputs)) {
      downloads.append(el("button", { type: "button", class: "md-button itaku-download", "data-output": name },
        document.createTextNode(label), el("span", { class: "itaku-filename", text: name })));
    }
  }

  function collect() {
    const answers = {};
    for (const q of questions) {
      if (q.type === "choice") {
        const checked = document.querySelector(`input[name="${q.key}"]:checked`);
        answers[q.key] = checked ? checked.value : "";
      } else if (q.type === "multi") {
        answers[q.key] = [...document.querySelectorAll(`input[name="${q.key}"]:checked`)].map((i) => i.value);
      } else if (q.type === "bool") {
        answers[q.key] = $("q-" + q.key).checked;
      } else {
        answers[q.key] = $("q-" + q.key).value;
      }
    }
    const removed = {};
    for (const box of document.querySelectorAll("input[data-remove]")) {
      if (box.checked) removed[box.dataset.remove] = document.querySelector(`[data-reason="${box.dataset.remove}"]`).value;
    }
    return { answers, removed };
  }

  function apply(answers, removed) {
    const values = { ...questionnaire.defaults, ...(answers || {}) };
    for (const q of questions) {
      const value = values[q.key];
      if (q.type === "choice") {
        for (const input of document.querySelectorAll(`input[name="${q.key}"]`)) input.checked = input.value === value;
      } else if (q.type === "multi") {
        const chosen = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
        for (const input of document.querySelectorAll(`input[name="${q.key}"]`)) {
          input.checked = chosen.includes(input.value);
        }
      } else if (q.type === "bool") {
        $("q-" + q.key).checked = value === true || value === "true";
      } else {
        $("q-" + q.key).value = value === undefined || value === null ? "" : String(value);
      }
    }
    for (const box of document.querySelectorAll("input[data-remove]")) {
      const id = box.dataset.remove;
      const has = removed && Object.prototype.hasOwnProperty.call(removed, id);
      box.checked = Boolean(has);
      document.querySelector(`[data-reason="${id}"]`).value = has ? String(removed[id] || "") : "";
      $("wrap-reason-" + id).hidden = !has;
    }
  }

  function flag(flagged) {
    for (const q of questions) {
      const note = flagged && flagged[q.key];
      const wrap = $("wrap-" + q.key);
      wrap.classList.toggle("itaku-flagged", Boolean(note));
      if (note) wrap.dataset.flagged = note;
      else delete wrap.dataset.flagged;
      const badge = $("flag-" + q.key);
      badge.hidden = !note;
      setText(badge, note ? `${note}：確認してください` : "");
    }
  }

  // ------------------------------------------------------------------ live state and preview

  function schedule() {
    root.dataset.pending = "1"; // cleared when the preview for the latest input is shown (tests wait on it)
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }

  async function refresh() {
    clearTimeout(timer);
    timer = null;
    const { answers, removed } = collect();
    save(answers, removed);
    const mine = ++seq;
    const started = performance.now();
    root.dataset.preview = "updating";
    const { value } = await client.call("state", [answers, removed]);
    if (mine !== seq) return; // a newer change is on its way
    latest = value;
    render(value);
    performance.measure("itaku-refresh", { start: started }); // read by scripts/bench_site.py
    root.dataset.preview = "done";
    if (timer === null) delete root.dataset.pending; // no newer input waiting
    root.dispatchEvent(new CustomEvent("itaku-preview"));
  }

  function render(state) {
    const visible = new Set(state.visible);
    for (const q of questions) $("wrap-" + q.key).hidden = !visible.has(q.key);
    const all = state.errors || {};
    const errors = {};
    for (const key of Object.keys(all)) if (showAll || touched.has(key)) errors[key] = all[key];
    const untouched = Object.keys(all).length - Object.keys(errors).length;
    for (const q of questions) showError(q.key, "q-" + q.key, errors[q.key]);
    for (const clause of questionnaire.removable) {
      showError("removed-" + clause.id, "reason-" + clause.id, errors["removed:" + clause.id]);
    }
    const summary = $("itaku-error-summary");
    const keys = Object.keys(errors);
    if (keys.length) {
      const list = el("ul");
      for (const key of keys) {
        const target = key.startsWith("removed:") ? "reason-" + key.slice(8) : "q-" + key;
        const link = el("a", { href: "#" + target, text: errors[key] });
        list.append(el("li", {}, link));
      }
      summary.replaceChildren(el("p", { text: `${keys.length} 件の問題があります。直すとプレビューとダウンロードが使えます。` }), list);
      summary.hidden = false;
    } else {
      summary.hidden = true;
      summary.replaceChildren();
    }
    const status = $("itaku-preview-status");
    if (state.valid) {
      const preview = $("itaku-preview");
      preview.innerHTML = state.preview; // escaped by itaku.render.html (Python)
      // The preview marks each document with data-output; downloads own that attribute on this page.
      for (const node of preview.querySelectorAll("[data-output]")) {
        node.dataset.previewOf = node.getAttribute("data-output");
        node.removeAttribute("data-output");
      }
      preview.classList.remove("itaku-stale");
      setText(status, `条文 ${state.articles.length} 条、確認項目 契約前 ${state.counts.before} 件・契約後 ${state.counts.after} 件で作成しています。`);
    } else {
      $("itaku-preview").classList.add("itaku-stale");
      setText(status, keys.length ? "回答に問題があるため、プレビューは更新されていません。"
                                  : `まだ答えていない必須の質問などが ${untouched} 件あります。答えるとプレビューが表示されます。`);
    }
    const outputs = new Set(state.valid ? state.outputs : []);
    for (const button of document.querySelectorAll("#itaku-download-list [data-output]")) {
      const name = button.dataset.output;
      const optional = /^(reoutsourcing-|deviations)/.test(name);
      button.hidden = optional && !outputs.has(name);
      // aria-disabled (not disabled): the button stays focusable and a click shows what is missing.
      if (state.valid) button.removeAttribute("aria-disabled");
      else button.setAttribute("aria-disabled", "true");
    }
    setText($("itaku-download-note"), state.valid ? "各ボタンで、今の回答から文書を作ってダウンロードします。"
                                                  : "回答の問題を直すとダウンロードできます。");
  }

  function showError(key, inputId, text) {
    const node = $("err-" + key);
    const input = $(inputId);
    if (!node) return;
    node.hidden = !text;
    setText(node, text || "");
    if (input) {
      if (text) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    }
  }

  // ------------------------------------------------------------------ downloads and print

  function save(answers, removed) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ answers, removed }));
    } catch (error) {
      /* storage unavailable (file://, private mode): answers.json is the record */
    }
  }

  function restore() {
    try {
      const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && typeof saved === "object" && saved.answers) return saved;
    } catch (error) {
      /* unavailable or unreadable: start from the defaults */
    }
    return null;
  }

  async function download(button) {
    const name = button.dataset.output;
    const status = $("itaku-download-status");
    const { answers, removed } = collect();
    const key = JSON.stringify([answers, removed]);
    const started = performance.now();
    button.setAttribute("aria-busy", "true");
    setText(status, `${config.outputs[name] || name} を作成しています…`);
    try {
      if (!generated || generated.key !== key) {
        const { value, files } = await client.call("generate", [answers, removed]);
        if (value.error) {
          message(status, value.error, true);
          return;
        }
        generated = { key, files };
      }
      const buffer = generated.files[name];
      if (!buffer) {
        message(status, `${name} はこの回答では作成されません。`, true);
        return;
      }
      saveBlob(name, buffer);
      performance.measure("itaku-download", { start: started });
      setText(status, `${config.outputs[name] || name}（${name}）をダウンロードしました。`);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  // ------------------------------------------------------------------ loading answers, examples, identify

  async function readFile(input) {
    const file = input.files && input.files[0];
    if (!file) return null;
    const buffer = await file.arrayBuffer();
    input.value = "";
    return buffer;
  }

  async function loadAnswers(input) {
    const out = $("itaku-load-message");
    const buffer = await readFile(input);
    if (!buffer) return;
    const { value } = await client.call("load", [], buffer);
    if (value.error) {
      message(out, value.error + "（今の回答はそのままです。）", true);
      return;
    }
    apply(value.answers, value.removed);
    flag(value.flagged);
    showAll = true;
    const flaggedCount = Object.keys(value.flagged || {}).length;
    let text = value.is_record ? "業務記録ファイルから回答を読み込みました。" : "回答ファイルを読み込みました。";
    if (flaggedCount) text += `古い版（${value.from_schema}）の質問で作られていたため、新しい質問・変更された質問 ${flaggedCount} 件に印を付けました。内容を確認してください。`;
    message(out, text, false);
    generated = null;
    await refresh();
  }

  async function loadExample() {
    const id = $("itaku-example").value;
    const out = $("itaku-load-message");
    if (!id) {
      message(out, "記入例を選んでください。", true);
      return;
    }
    const { value } = await client.call("example", [id]);
    if (value.error) {
      message(out, value.error, true);
      return;
    }
    apply(value.answers, value.removed);
    flag({});
    showAll = true;
    message(out, `記入例「${value.title}」を読み込みました。自分の業務に合わせて書き換えてください。`, false);
    generated = null;
    await refresh();
  }

  async function identify(input) {
    const out = $("itaku-identify-result");
    const buffer = await readFile(input);
    if (!buffer) return;
    const { value } = await client.call("identify", [], buffer);
    out.replaceChildren();
    if (value.error) {
      message(out, value.error, true);
      return;
    }
    const stamp = value.stamp || {};
    out.append(el("p", { text: `このファイルは版 ${stamp.corpus_version || "（不明）"} で作られています。現在の版は ${value.current_version} です。` }));
    if (stamp.edition_name) {
      out.append(el("p", { "data-result": "edition",
                           text: `団体の設定：${stamp.edition_name}（設定の版 ${String(stamp.edition_hash || "").slice(0, 8)}）` }));
    }
    if (value.up_to_date) {
      out.append(el("p", { class: "itaku-ok", "data-result": "up-to-date", text: "最新の版で作られています。" }));
      return;
    }
    out.append(el("p", { class: "itaku-warn", "data-result": "outdated",
                         text: "その後に改訂があります。変わった条文を確認し、必要なら作り直してください。" }));
    const list = el("ul", { class: "itaku-changes" });
    for (const change of value.changes) {
      const clauses = change.clauses.length ? "変わった条文：" + change.clauses.map((c) => c.title).join("、")
                                            : "条文の変更なし";
      list.append(el("li", { "data-version": change.version,
                             text: `版 ${change.version}（${change.date}）：${change.summary}　${clauses}` }));
    }
    out.append(list);
  }

  // ------------------------------------------------------------------ start

  function wire() {
    const form = $("itaku-form");
    const touch = (event) => {
      const target = event.target;
      const question = target.closest(".itaku-q[data-key]");
      if (question) touched.add(question.dataset.key);
      const clause = target.dataset.remove || target.dataset.reason;
      if (clause) touched.add("removed:" + clause);
    };
    form.addEventListener("input", (event) => { touch(event); generated = null; schedule(); });
    form.addEventListener("change", (event) => {
      touch(event);
      const box = event.target.closest("input[data-remove]");
      if (box) $("wrap-reason-" + box.dataset.remove).hidden = !box.checked;
      generated = null;
      schedule();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    $("itaku-download-list").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-output]");
      if (!button) return;
      if (button.getAttribute("aria-disabled") !== "true") {
        download(button);
      } else {
        showAll = true;
        refresh().then(() => $("itaku-error-summary").focus());
      }
    });
    $("itaku-print").addEventListener("click", () => window.print());
    $("itaku-answers-file").addEventListener("change", (event) => loadAnswers(event.target));
    $("itaku-identify-file").addEventListener("change", (event) => identify(event.target));
    $("itaku-example-load").addEventListener("click", loadExample);
    $("itaku-reset").addEventListener("click", async () => {
      try { localStorage.removeItem(STORAGE_KEY); } catch (error) { /* unavailable */ }
      apply({}, {});
      flag({});
      showAll = false;
      touched.clear();
      generated = null;
      message($("itaku-load-message"), "回答を初期値に戻しました。", false);
      await refresh();
    });
  }

  async function main() {
    if (typeof WebAssembly !== "object" || !globalThis.ItakuLoader) {
      fail("このブラウザでは Python（WebAssembly）を動かせないため、文書を作成できません。");
      return;
    }
    try {
      client = await window.ItakuPage.startRuntime("../assets/generator/", progress);
    } catch (error) {
      fail(error.message);
      return;
    }
    questionnaire = client.questionnaire;
    root.dataset.mode = client.mode;
    buildForm();
    wire();
    const saved = restore();
    apply(saved ? saved.answers : {}, saved ? saved.removed : {});
    showAll = Boolean(saved);
    await refresh();
    progress("ready", 1);
    $("itaku-loading").hidden = true;
    $("itaku-app").hidden = false;
    root.dataset.state = "ready";
    client.librariesReady.then(() => { root.dataset.libraries = "ready"; });
  }

  main();
})();
