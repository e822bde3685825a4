// The generator page (docs/generator/index.md): questionnaire, live preview, downloads.
//
// The questionnaire is in the HTML (rendered at build time by itaku.build.form_html), so it can
// be answered before Python is ready; this file hydrates it. Every rule lives in Python
// (itaku.web): which questions are shown, validation messages, the preview HTML (already
// escaped), the files. This file reads and writes the controls (CODECS, one per question type),
// sends the answers to Python and shows what comes back. Messages and user values are written
// with textContent, never as HTML; the only HTML inserted is Python's escaped preview.
(function () {
  "use strict";

  const STORAGE_KEY = "itaku-generator-answers";
  const STAGES = { load: [0, 40, "ページの部品の読み込み"], python: [45, 70, "文書を作る仕組み（Python）の起動"], libraries: [75, 95, "Word・Excel を作る部品の準備"],
                   ready: [100, 100, "準備完了"] };
  const SUMMARY_DELAY_MS = 800; // the error summary changes (and is announced) once typing pauses
  const root = document.getElementById("generator");
  const form = document.getElementById("itaku-form");
  const $ = (id) => document.getElementById(id);
  const config = globalThis.ITAKU_GENERATOR_CONFIG || { outputs: {} };
  const { el, saveBlob, message } = window.ItakuPage;

  // How each question type is read from and written to its controls (the HTML comes from
  // itaku.build.form_html.CONTROLS; a new type adds one entry here). ``wrap`` is .itaku-q[data-key].
  const inputs = (wrap) => [...wrap.querySelectorAll(`input[name="${wrap.dataset.key}"]`)];
  const CODECS = {
    choice: {
      read: (wrap) => (inputs(wrap).find((i) => i.checked) || {}).value || "",
      write: (wrap, value) => { for (const i of inputs(wrap)) i.checked = i.value === value; },
    },
    multi: {
      read: (wrap) => inputs(wrap).filter((i) => i.checked).map((i) => i.value),
      write: (wrap, value) => {
        const chosen = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
        for (const i of inputs(wrap)) i.checked = chosen.includes(i.value);
      },
    },
    bool: {
      read: (wrap) => inputs(wrap)[0].checked,
      write: (wrap, value) => { inputs(wrap)[0].checked = value === true || value === "true"; },
    },
    list: { // rows of a table (form_html._list); the columns come from the questionnaire data
      read: (wrap) => [...rowsOf(wrap).children].map((row) => Object.fromEntries(
        [...row.querySelectorAll("[data-column]")].map((input) => [input.dataset.column, input.value]))),
      write: (wrap, value) => setRows(wrap, Array.isArray(value) ? value.filter((r) => r && typeof r === "object") : []),
      reset: (wrap) => setRows(wrap, []),
    },
    value: { // text, integer, date
      read: (wrap) => inputs(wrap)[0].value,
      write: (wrap, value) => { inputs(wrap)[0].value = value === undefined || value === null ? "" : String(value); },
    },
  };
  const codec = (wrap) => CODECS[wrap.dataset.type] || CODECS.value;

  // List questions: one row of inputs per item, drawn from the column data in the HTML.
  function rowsOf(wrap) {
    return wrap.querySelector(":scope > .itaku-list tbody");
  }

  function addRow(wrap, values) {
    const group = wrap.querySelector(":scope > .itaku-list");
    const columns = JSON.parse(group.dataset.columns);
    const body = rowsOf(wrap);
    const n = body.children.length + 1;
    const row = el("tr", { "data-row": "" });
    for (const c of columns) {
      const name = `${c.label}（${n}行目）`;
      let input;
      if (c.type === "choice") {
        input = el("select", { "data-column": c.key, "aria-label": name, "data-within": c.within || null },
                   ...c.choices.map((ch) => el("option", { value: ch.value, text: ch.label })));
        input.value = values && values[c.key] ? values[c.key] : (c.default || c.choices[0].value);
        if (c.within) narrow(input);
      } else {
        input = el(c.multiline ? "textarea" : "input", { "data-column": c.key, "aria-label": name,
                                                        rows: c.multiline ? 3 : null,
                                                        inputmode: c.type === "integer" ? "numeric" : null,
                                                        type: c.multiline ? null : c.type === "date" ? "date" : "text",
                                                        autocomplete: "off" });
        input.value = values && values[c.key] !== undefined && values[c.key] !== null ? String(values[c.key]) : "";
      }
      row.append(el("td", {}, input));
    }
    row.append(el("td", {}, el("button", { type: "button", class: "md-button itaku-list-remove",
                                           "data-remove-row": wrap.dataset.key, "aria-label": `${n}行目を削除`,
                                           text: "削除" })));
    body.append(row);
    updateAdd(wrap);
    return row;
  }

  // A column whose choices are limited to what another question has ticked (``within``: the place of dated
  // work → 作業場所): the others are disabled, never removed, so a value loaded from a file stays shown and
  // the check under the table says what to fix. The blank choice (主な作業場所) is always open.
  function narrow(select) {
    const wrap = form.querySelector(`.itaku-q[data-key="${select.dataset.within}"]`);
    const ticked = new Set(wrap ? codec(wrap).read(wrap) : []);
    for (const option of select.options) {
      option.disabled = option.value !== "" && !ticked.has(option.value) && option.value !== select.value;
    }
  }

  function narrowAll() {
    for (const select of form.querySelectorAll("select[data-within]")) narrow(select);
  }

  function updateAdd(wrap) {
    const group = wrap.querySelector(":scope > .itaku-list");
    const full = rowsOf(wrap).children.length >= Number(group.dataset.maxItems || 30);
    const button = group.querySelector("[data-add-row]");
    button.disabled = full;
    button.title = full ? "これ以上は追加できません" : "";
  }

  function setRows(wrap, rows) {
    rowsOf(wrap).replaceChildren();
    for (const row of rows) addRow(wrap, row);
    updateAdd(wrap);
  }
  const questions = [...form.querySelectorAll(".itaku-q[data-key]")];
  // The job's reworded paragraphs (reword.js): kept in answers.json beside the removed clauses.
  const rewording = window.ItakuReword.create(el);
  let removable = [...form.querySelectorAll("input[data-remove]")].map((box) => box.dataset.remove);
  // Removals of clauses whose box is not on the page (yet): the 団体の設定's own clauses get their
  // boxes once Python has read edition.js (addLocalClauses); until then they are kept as they are.
  let unplaced = {};

  let client = null;
  let seq = 0;
  let timer = null;
  let summaryTimer = null;
  let summaryShown = ""; // what the error summary says now (it is redrawn only when this changes)
  let generated = null; // the files made for the current answers (see make())
  const PREFETCH_MS = 700; // answers unchanged this long → 文書一式 is made in the background
  let lastOutputs = null; // the files of the last valid answers (buttons stay while the answers are fixed)
  let changedKey = null; // the question the user changed last (the preview scrolls to what it changed)
  let openDoc = null; // the preview panel the reader has open (Python keeps it open when it redraws)
  let lastDownloads = null; // [{output, name, for, label?}] of the last valid answers (file names, who each is for)
  // What a download is called: the build's label, else the one Python gives (a counterparty's set: party-N.zip).
  function labelOf(name) {
    const d = (lastDownloads || []).find((x) => x.output === name);
    return config.outputs[name] || (d && d.label) || name;
  }
  let problems = {}; // every problem of the current answers (key → message), for the download area
  let undo = null; // the answers before 「最初からやり直す」 or a load, until the page is closed
  // The job's identity ({job_id, previous_job_id}): made by Python at the first file of a new job, read
  // from a loaded file, new (naming the old one) for next year's set; kept while answers change.
  let jobIds = null;
  function setJob(ids) {
    jobIds = ids && typeof ids.job_id === "string" ? { ...ids } : null;
    if (jobIds) root.dataset.jobId = jobIds.job_id;
    else delete root.dataset.jobId;
    if (jobIds && jobIds.previous_job_id) root.dataset.previousJobId = jobIds.previous_job_id;
    else delete root.dataset.previousJobId;
  }
  let typedSinceLoad = false; // answers typed since the page opened or the last load (what asking protects)
  // Errors show for questions the user has touched, or for all once answers were loaded or a
  // download was tried, so that a first visit does not open with a wall of red.
  const touched = new Set();
  let showAll = false;

  function setText(node, text) {
    node.textContent = text || "";
  }

  // ------------------------------------------------------------------ the status near the preview

  function progress(stage, fraction) {
    if (!performance.getEntriesByName("itaku-" + stage).length) performance.mark("itaku-" + stage);
    const [from, to, label] = STAGES[stage];
    const bar = $("itaku-progress");
    bar.value = Math.round(from + (to - from) * (fraction || 0));
    bar.textContent = bar.value + "%";
    setText($("itaku-progress-label"), `プレビューと文書の作成を準備しています…（${label}）`);
    root.dataset.stage = stage;
    if (waiting) waiting.update(`${label} ${bar.value}%`);
  }

  function fail(text) {
    root.dataset.state = "error";
    $("itaku-runtime").hidden = true;
    const box = $("itaku-fatal");
    box.hidden = false;
    box.replaceChildren(
      el("p", { text }),
      el("p", { text: "入力した回答はこのブラウザに残ります。下の「Python を使わずに既製の文書を取得する」から、記入例の回答で作成済みの文書を入手できます。" }));
    setText($("itaku-preview-status"), "Python を準備できなかったため、プレビューと文書の作成は使えません。");
    const details = $("itaku-fallback");
    if (details) details.open = true;
  }

  // ------------------------------------------------------------------ the form

  function collect() {
    const answers = {};
    for (const wrap of questions) answers[wrap.dataset.key] = codec(wrap).read(wrap);
    const removed = {};
    for (const id of removable) {
      if ($("remove-" + id).checked) removed[id] = $("reason-" + id).value;
    }
    for (const [id, reason] of Object.entries(unplaced)) removed[id] = reason;
    return { answers, removed, reworded: rewording.collect() };
  }

  // The built HTML holds the defaults as the controls' initial values: reset, then write the answers.
  function apply(answers, removed, reworded) {
    form.reset();
    rewording.apply(reworded);
    for (const wrap of questions) if (codec(wrap).reset) codec(wrap).reset(wrap);
    for (const wrap of questions) {
      if (answers && Object.prototype.hasOwnProperty.call(answers, wrap.dataset.key)) {
        codec(wrap).write(wrap, answers[wrap.dataset.key]);
      }
    }
    for (const id of removable) {
      const has = Boolean(removed) && Object.prototype.hasOwnProperty.call(removed, id);
      $("remove-" + id).checked = has;
      $("reason-" + id).value = has ? String(removed[id] || "") : "";
      $("wrap-reason-" + id).hidden = !has;
    }
    unplaced = {};
    for (const [id, reason] of Object.entries(removed || {})) {
      if (!removable.includes(id)) unplaced[id] = String(reason || "");
    }
  }

  // The 団体の設定's own default_on clauses: their boxes, drawn by Python with the built form's
  // renderer (itaku.render.removable), join the list. Returns placeRemovals()'s sentence.
  function addLocalClauses(edition) {
    const ids = ((edition && edition.removable_local) || []).filter((id) => !removable.includes(id));
    if (ids.length) {
      $("itaku-removable-list").insertAdjacentHTML("beforeend", edition.removable_html); // escaped by Python
      removable = [...form.querySelectorAll("input[data-remove]")].map((box) => box.dataset.remove);
    }
    return placeRemovals();
  }

  // Once Python is ready: a kept removal whose box is on the page is ticked again; one of a clause
  // this edition does not have is dropped. Returns a sentence naming those dropped ("" if none).
  function placeRemovals() {
    for (const id of Object.keys(unplaced)) {
      if (!removable.includes(id)) continue;
      $("remove-" + id).checked = true;
      $("reason-" + id).value = unplaced[id];
      $("wrap-reason-" + id).hidden = false;
    }
    const unknown = Object.keys(unplaced).filter((id) => !removable.includes(id));
    unplaced = {};
    return unknown.length ? `外す条文として指定されていた「${unknown.join("」「")}」は、この団体の設定にない条文のため、外す指定を取り消しました。` : "";
  }

  // ------------------------------------------------------------------ 業務の類型 (kinds of work)
  // Python (itaku.web.state) says what the chosen kinds preset for the questions the user has not
  // answered; this only writes those values and shows 「業務の類型から設定」. A question the user
  // touched, or that a loaded file or example answered, is never written.

  function answeredKeys() {
    return [...touched].filter((key) => !key.startsWith("removed:") && !key.startsWith("reworded"));
  }

  function markAnswered(keys) {
    for (const key of keys || []) touched.add(key);
  }

  function applyPresets(state) {
    const presets = state.presets || {};
    const marked = new Set(state.preset_keys || []);
    for (const wrap of questions) {
      const key = wrap.dataset.key;
      if (Object.prototype.hasOwnProperty.call(presets, key) && !touched.has(key)) codec(wrap).write(wrap, presets[key]);
      const kept = marked.has(key) && !touched.has(key);
      const badge = $("preset-" + key);
      if (badge) badge.hidden = !kept;
      wrap.classList.toggle("itaku-preset-kept", kept); // drawn compact: its help is left out (generator.css)
    }
  }

  // The answers the chosen kinds set, in one list under 業務の類型 (after the visibility of the questions is
  // known): a first-time user confirms them there and changes one at its question, instead of reading each.
  function presetSummary() {
    const kept = questions.filter((wrap) => wrap.classList.contains("itaku-preset-kept") && !wrap.closest("[hidden]"));
    const box = $("itaku-preset-summary");
    if (!box) return;
    box.hidden = !kept.length;
    const list = el("ul");
    for (const wrap of kept) {
      const item = el("li");
      item.append(el("a", { href: "#wrap-" + wrap.dataset.key, text: wrap.dataset.short || questionLabel(wrap),
                            title: questionLabel(wrap) }),
                  document.createTextNode("：" + answerText(wrap)));
      list.append(item);
    }
    box.replaceChildren(el("p", { text: `類型から次の ${kept.length} 問を設定しました。違うものは、その質問で選び直してください。` }),
                        list);
  }

  // A label's own words, without the badges and the one-line help of choices inside it.
  function ownText(node) {
    if (!node) return "";
    const copy = node.cloneNode(true);
    for (const extra of copy.querySelectorAll(".itaku-choice-help, .itaku-preset, .itaku-flag, .itaku-required")) extra.remove();
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function questionLabel(wrap) {
    return ownText(wrap.querySelector(":scope > label, :scope > fieldset > legend, :scope > .itaku-bool > label"));
  }

  function answerText(wrap) {
    const key = wrap.dataset.key;
    const control = $("q-" + key);
    const type = wrap.dataset.type;
    if (type === "bool") return control.checked ? "はい" : "いいえ";
    if (type === "choice" || type === "multi") {
      const chosen = [...control.querySelectorAll(":scope > .itaku-choice > input:checked")]
        .map((input) => ownText(control.querySelector(`label[for="${CSS.escape(input.id)}"]`)));
      return chosen.length ? chosen.join("、") : "（選択なし）";
    }
    if (type === "list") return `${$("rows-" + key).rows.length} 行`;
    return control.value || "（空欄）";
  }

  function flag(flagged) {
    for (const wrap of questions) {
      const note = flagged && flagged[wrap.dataset.key];
      wrap.classList.toggle("itaku-flagged", Boolean(note));
      if (note) wrap.dataset.flagged = note;
      else delete wrap.dataset.flagged;
      const badge = $("flag-" + wrap.dataset.key);
      badge.hidden = !note;
      setText(badge, !note ? "" : note.endsWith("ください") ? note : `${note}：確認してください`); // a migration may say what to do
    }
  }

  // ------------------------------------------------------------------ live state and preview

  function schedule() {
    root.dataset.pending = "1"; // cleared when the preview for the latest input is shown (tests wait on it)
    narrowAll();
    save(collect());
    if (!client) return; // before Python is ready: kept in the form, validated once it is
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  }

  async function refresh(options) {
    clearTimeout(timer);
    timer = null;
    const { answers, removed, reworded } = collect();
    save({ answers, removed, reworded });
    const mine = ++seq;
    const started = performance.now();
    root.dataset.preview = "updating";
    const { value } = await client.call("state", [answers, removed, openDoc, answeredKeys(), reworded]);
    if (mine !== seq) return; // a newer change is on its way
    performance.measure("itaku-state", { start: started }); // the round trip to Python (scripts/bench_site.py)
    render(value, options || {});
    performance.measure("itaku-refresh", { start: started }); // read by scripts/bench_site.py
    if (value.valid) prefetchSoon();
    root.dataset.preview = "done";
    if (timer === null) delete root.dataset.pending; // no newer input waiting
    root.dispatchEvent(new CustomEvent("itaku-preview"));
  }

  function render(state, options) {
    applyPresets(state);
    const visible = new Set(state.visible);
    for (const wrap of questions) wrap.hidden = !visible.has(wrap.dataset.key);
    presetSummary();
    const all = state.errors || {};
    const errors = {};
    for (const key of Object.keys(all)) if (showAll || touched.has(key)) errors[key] = all[key];
    const untouched = Object.keys(all).length - Object.keys(errors).length;
    for (const wrap of questions) showError(wrap.dataset.key, "q-" + wrap.dataset.key, errors[wrap.dataset.key]);
    for (const id of removable) showError("removed-" + id, "reason-" + id, errors["removed:" + id]);
    rewording.update(state);
    rewording.showErrors(errors, showError);
    summarize(errors, Boolean(options.now));
    const status = $("itaku-preview-status");
    if (state.valid) {
      showPreview(state.preview, !options.keepScroll);
      setText(status, `条文 ${state.articles.length} 条、確認項目 契約前 ${state.counts.before} 件・契約後 ${state.counts.after} 件で作成しています。`);
    } else {
      $("itaku-preview").classList.add("itaku-stale");
      setText(status, Object.keys(errors).length ? "回答に問題があるため、プレビューは更新されていません。"
                                                 : `まだ答えていない必須の質問などが ${untouched} 件あります。答えるとプレビューが表示されます。`);
    }
    if (state.valid) {
      lastOutputs = state.outputs;
      lastDownloads = state.downloads || null;
    }
    problems = all;
    showDownloads(state.valid);
  }

  function showKnownProblems() {
    for (const wrap of questions) if (!wrap.hidden) showError(wrap.dataset.key, "q-" + wrap.dataset.key, problems[wrap.dataset.key]);
    for (const id of removable) showError("removed-" + id, "reason-" + id, problems["removed:" + id]);
    rewording.showErrors(problems, showError);
    summarize(problems, true);
  }

  // The error summary is a polite live region: it changes only when its text would, and only
  // once typing pauses (or at once when the user asked for it), so it is announced once.
  function summarize(errors, now) {
    const keys = Object.keys(errors);
    const text = keys.map((key) => key + "\u0000" + errors[key]).join("\u0001");
    clearTimeout(summaryTimer);
    if (text === summaryShown) return;
    const summary = $("itaku-error-summary");
    const draw = () => {
      summaryShown = text;
      if (!keys.length) {
        summary.hidden = true;
        summary.replaceChildren();
        return;
      }
      const list = el("ul");
      for (const key of keys) {
        list.append(el("li", {}, el("a", { href: "#" + problemTarget(key), text: errors[key] })));
      }
      summary.replaceChildren(el("p", { text: `${keys.length} 件の問題があります。直すとプレビューとダウンロードが使えます。` }), list);
      summary.hidden = false;
    };
    if (now || !keys.length) draw();
    else summaryTimer = setTimeout(draw, SUMMARY_DELAY_MS);
  }

  // Shows Python's preview and scrolls it to the first article (or block) that the last change
  // altered, marked for a moment; the page itself does not scroll. Only the parts that differ from
  // what is shown are replaced: parsing and laying out the whole preview after every answer was
  // most of the time a redraw took.
  function showPreview(html, follow) {
    const preview = $("itaku-preview");
    const fresh = document.createElement("template");
    fresh.innerHTML = html; // escaped by itaku.render.html (Python)
    // The preview marks each document with data-output; downloads own that attribute on this page.
    for (const node of fresh.content.querySelectorAll("[data-output]")) {
      node.dataset.previewOf = node.getAttribute("data-output");
      node.removeAttribute("data-output");
    }
    for (const node of preview.querySelectorAll(".itaku-changed")) node.classList.remove("itaku-changed");
    for (const node of preview.querySelectorAll(".itaku-doc-changed")) node.classList.remove("itaku-doc-changed");
    const shown = preview.querySelector("details[data-doc]") !== null;
    const changed = [];
    patchPreview(preview, fresh.content, changed);
    preview.classList.remove("itaku-stale");
    if (!follow || !shown || changedKey === null) return;
    changedKey = null;
    // One document at a time: follow the change inside the open document; a closed document that
    // changed gets a mark on its title (「変更あり」) instead of being opened under the reader.
    let followed = false;
    for (const node of changed) {
      const panel = node.closest("details");
      if (panel && !panel.open) {
        panel.classList.add("itaku-doc-changed");
        continue;
      }
      if (followed) continue;
      followed = true;
      preview.scrollTop += node.getBoundingClientRect().top - preview.getBoundingClientRect().top - 8;
      node.classList.add("itaku-changed");
      root.dataset.changed = blockKey(node, [...node.parentElement.children].indexOf(node)); // tests read it
    }
  }

  // A block of a document: its article's clause id, else its place in the document.
  function blockKey(node, index) {
    const doc = node.parentElement;
    return `${(doc && doc.dataset.previewOf) || ""}/${node.dataset.clause || index}`;
  }

  // The preview's top level: the documents' panels (matched by data-doc, kept with the reader's
  // scroll and patched inside) and the blocks between them (kept when unchanged).
  function patchPreview(preview, fresh, changed) {
    const olds = [...preview.children];
    const panels = new Map(olds.filter((n) => n.dataset.doc).map((n) => [n.dataset.doc, n]));
    const result = [...fresh.children].map((node, i) => {
      const old = node.dataset.doc ? panels.get(node.dataset.doc) : olds[i];
      if (old && node.dataset.doc) {
        patchPanel(old, node, changed);
        return old;
      }
      if (old && !old.dataset.doc && old.isEqualNode(node)) return old;
      if (node.dataset.doc) changed.push(...node.querySelectorAll(".itaku-doc > *"));
      return node;
    });
    if (result.length !== olds.length || result.some((node, i) => node !== olds[i])) preview.replaceChildren(...result);
  }

  function patchPanel(old, node, changed) {
    if (old.open !== node.open) old.open = node.open; // Python keeps the document the reader has open
    const part = (panel, selector) => panel.querySelector(":scope > " + selector);
    const [oldTitle, newTitle] = [part(old, "summary"), part(node, "summary")];
    const [oldDoc, newDoc] = [part(old, ".itaku-doc"), part(node, ".itaku-doc")];
    if (!oldTitle || !newTitle || !oldDoc || !newDoc) {
      old.replaceChildren(...node.childNodes);
      return;
    }
    if (!oldTitle.isEqualNode(newTitle)) oldTitle.replaceWith(newTitle);
    patchDoc(oldDoc, newDoc, changed);
  }

  // A document's blocks: a block is changed when no block with its key was equal before.
  function patchDoc(old, node, changed) {
    const olds = [...old.children];
    const news = [...node.children];
    if (olds.length === news.length && olds.every((o, i) => blockKey(o, i) === blockKey(news[i], i))) {
      olds.forEach((o, i) => {
        if (o.isEqualNode(news[i])) return;
        o.replaceWith(news[i]);
        changed.push(news[i]);
      });
      return;
    }
    const before = new Map(olds.map((o, i) => [blockKey(o, i), o]));
    old.replaceChildren(...news);
    news.forEach((n, i) => {
      const o = before.get(blockKey(n, i));
      if (!o || !o.isEqualNode(n)) changed.push(n);
    });
  }

  // Files every worked example produces have a button from the start (build time); the others
  // (data-optional) follow the files Python lists for valid answers, and while the answers have
  // problems the last list stays (disabled). A file with no button yet gets one.
  function showDownloads(valid) {
    const list = $("itaku-download-list");
    const names = new Set(lastOutputs || []);
    for (const name of names) {
      if (!list.querySelector(`[data-output="${CSS.escape(name)}"]`)) {
        list.querySelector(".itaku-download-list-files").append(
          el("button", { type: "button", class: "md-button itaku-download", "data-output": name, "data-optional": true },
             document.createTextNode(labelOf(name)), el("span", { class: "itaku-filename", text: name })));
      }
    }
    const info = new Map((lastDownloads || []).map((d) => [d.output, d]));
    // Several counterparties: Python lists the sets (documents.zip, party-N.zip, answers.json), not one set's files.
    const sets = (lastDownloads || []).some((d) => d.output.startsWith("party-"));
    for (const button of list.querySelectorAll("[data-output]")) {
      button.hidden = (sets || button.hasAttribute("data-optional")) && !names.has(button.dataset.output);
      // aria-disabled (not disabled): the button stays focusable and a click shows what is missing.
      if (valid) button.removeAttribute("aria-disabled");
      else button.setAttribute("aria-disabled", "true");
      const d = info.get(button.dataset.output);
      if (d && d.label && button.hasAttribute("data-optional")) button.firstChild.nodeValue = d.label;
      if (d) { // the name the file is saved under, and who it is for
        setText(button.querySelector(".itaku-filename"), d.name);
        button.title = "保存するファイル名：" + d.name; // the name is visible on the zip button, the others say it here
        let who = button.querySelector(".itaku-for");
        if (!who) {
          who = el("span", { class: "itaku-for", id: `for-${button.dataset.output}` });
          button.append(who);
        }
        setText(who, d.for ? "→ " + d.for : "");
      }
      if (valid) button.removeAttribute("aria-describedby");
      else button.setAttribute("aria-describedby", "itaku-download-why");
    }
    const example = info.get("specification.docx");
    setText($("itaku-download-note"), valid ? "押すと今の回答から作ります。「→」は渡す相手です。"
                                              + (example ? `ファイル名は「業務名_文書名」（例：${example.name}）。` : "")
                                            : "回答に直すところがあるため、まだダウンロードできません。");
    showWhy(valid);
  }

  // Why the downloads cannot be used: every open problem, each a link that moves focus to its question.
  function showWhy(valid) {
    const why = $("itaku-download-why");
    if (!why) return;
    why.replaceChildren();
    if (!client) {
      why.append(el("p", { text: "プレビューと文書の作成を準備しています。準備ができるとダウンロードできます。" }));
      return;
    }
    const keys = Object.keys(problems);
    if (valid || !keys.length) return;
    const list = el("ul");
    for (const key of keys) {
      list.append(el("li", {}, el("a", { href: "#" + problemTarget(key), "data-problem": key, text: problems[key] })));
    }
    why.append(el("p", { text: `ダウンロードの前に直すところが ${keys.length} 件あります（押すとその質問へ移動します）。` }), list);
  }

  // The control a problem names: a question, a removal's reason, a rewording's text.
  function problemTarget(key) {
    if (key.startsWith("removed:")) return "reason-" + key.slice(8);
    if (key.startsWith("reworded:")) return rewording.target(key.slice(9));
    if (key.startsWith("reworded-reason:")) return rewording.reasonTarget(key.slice(16));
    if (key === "reworded_paragraphs") return "itaku-reword-select";
    return "q-" + key;
  }

  // A link to a question moves the keyboard focus there, not only the view.
  function focusQuestion(href) {
    const target = $(href.slice(1));
    if (!target) return false;
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
    return true;
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

  // Autosave: says at once when the browser refuses it, and notices another tab (ItakuPage.autosave).
  const autosave = window.ItakuPage.autosave(STORAGE_KEY, $("itaku-storage-note"),
    "このブラウザに回答を保存できませんでした（保存領域が使えないか、いっぱいです）。このページを閉じると回答は失われます。"
    + "回答が揃ったら「回答ファイル（answers.json）」をダウンロードして保管してください。");
  autosave.onOverwrite = () => save(collect());

  // ``typed``: whether these answers were typed since the last load (a restored page asks before
  // replacing typed answers, not those that came from a file or an example).
  function save(entry) {
    autosave.write(JSON.stringify({ ...entry, touched: answeredKeys(), typed: typedSinceLoad, job: jobIds }));
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

  // Files made for the current answers: {key, files, names, making: {name: Promise<{error, set}>}}.
  // One file per click (documents.zip renders them all); files already made are reused, and a
  // file being made (by an earlier click or the prefetch) is awaited, not made twice.
  function make(name) {
    const { answers, removed, reworded } = collect();
    const key = JSON.stringify([answers, removed, reworded, jobIds]);
    if (!generated || generated.key !== key) generated = { key, files: {}, names: {}, making: {} };
    const set = generated;
    if (set.files[name]) return Promise.resolve({ error: "", set });
    const zip = set.making["documents.zip"];
    if (!set.making[name]) {
      set.making[name] = (zip || Promise.resolve()).then(async () => {
        if (set.files[name]) return { error: "", set };
        const { value, files } = await client.call("generate", [answers, removed, name, jobIds, reworded]);
        if (value.error) return { error: value.error, set };
        if (!jobIds && value.job && generated === set) { // the job is started: its id is kept from now on
          setJob(value.job);
          set.key = JSON.stringify([answers, removed, reworded, jobIds]);
          save(collect());
        }
        Object.assign(set.files, files);
        Object.assign(set.names, value.names || {});
        return { error: "", set };
      });
    }
    return set.making[name];
  }

  // 文書一式 is made in the background once the answers are valid and have stayed still for a
  // moment (a person takes longer than that to reach the button), so that its click only saves.
  // Typing cancels the wait; Python's queue keeps the preview first when the user goes on typing.
  let prefetchTimer = null;
  function prefetchSoon() {
    clearTimeout(prefetchTimer);
    if (!lastOutputs || !lastOutputs.includes("documents.zip")) return;
    prefetchTimer = setTimeout(() => {
      prefetchTimer = null;
      if (root.dataset.libraries !== "ready" || "pending" in root.dataset) return;
      make("documents.zip");
    }, PREFETCH_MS);
  }

  async function download(button) {
    const name = button.dataset.output;
    const status = $("itaku-download-status");
    const started = performance.now();
    button.setAttribute("aria-busy", "true");
    setText(status, `${labelOf(name)} を作成しています…`);
    try {
      const { error, set } = await make(name);
      if (error) {
        message(status, error, true);
        return;
      }
      const buffer = set.files[name];
      if (!buffer) {
        message(status, `${name} はこの回答では作成されません。`, true);
        return;
      }
      // Saved under 「業務名_文書名.拡張子」 (itaku.filenames); data-output stays the page contract.
      const saveAs = set.names[name] || name;
      saveBlob(saveAs, buffer);
      performance.measure("itaku-download", { start: started });
      setText(status, `${labelOf(name)}を「${saveAs}」としてダウンロードしました。`);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  // ------------------------------------------------------------------ loading answers, examples, identify

  let whenReady = null; // Promise<client | null>, set by main()
  let waiting = null; // the load the user started before Python was ready ({update(progressText)})

  // A message about something the user just asked for, shown where they are looking: the box is
  // scrolled into view when it is off screen (the loaders sit high on a long page).
  function tell(out, text, isError) {
    message(out, text, isError);
    const box = out.getBoundingClientRect();
    if (text && (box.top < 0 || box.bottom > window.innerHeight)) out.scrollIntoView({ block: "nearest" });
  }

  const { readFile } = window.ItakuPage;

  // Runs fn(client) now or once Python is ready (saying so meanwhile); nothing if it never is.
  async function withPython(out, fn, what) {
    root.dataset.pending = "1"; // the answers are about to change (cleared by refresh, as for typing)
    out.setAttribute("aria-busy", "true");
    const text = `${what || "読み込み"}の準備をしています。プレビューと文書の作成の準備ができ次第、続けます…`;
    tell(out, client ? `${what || "読み込み"}をしています…` : text, false);
    if (!client) waiting = { update: (state) => setText(out.firstChild, `${text}（${state}）`) };
    const ready = await whenReady;
    waiting = null;
    if (!ready) {
      out.removeAttribute("aria-busy");
      tell(out, "Python を準備できなかったため、この操作はできません。", true);
      return;
    }
    try {
      await fn(ready);
    } finally {
      out.removeAttribute("aria-busy");
      if (timer === null && root.dataset.preview !== "updating") delete root.dataset.pending;
    }
  }

  async function loadAnswers(input) {
    const out = $("itaku-load-message");
    const buffer = await readFile(input);
    if (!buffer) return;
    await withPython(out, async (python) => {
      const { value } = await python.call("load", [], buffer);
      if (value.error) {
        tell(out, value.error + "（今の回答はそのままです。）", true);
        return;
      }
      if (!(await mayReplace("読み込んだファイルの回答"))) {
        message(out, "読み込みをやめました（今の回答はそのままです）。", false);
        return;
      }
      apply(value.answers, value.removed, value.reworded);
      setJob(value.job);
      markAnswered(Object.keys(value.answers || {}));
      const dropped = placeRemovals() + (value.reword_notes || []).join("");
      flag(value.flagged);
      showAll = true;
      const flaggedCount = Object.keys(value.flagged || {}).length;
      let text = value.is_record ? "業務記録ファイルから回答を読み込みました。" : "回答ファイルを読み込みました。";
      if (flaggedCount) text += `古い版（${value.from_schema}）の質問で作られていたため、新しい質問・変更された質問 ${flaggedCount} 件に印を付けました。内容を確認してください。`;
      tell(out, text + (value.notes || []).join("") + dropped, false);
      generated = null;
      await refresh({ now: true, keepScroll: true });
    }, "回答ファイルの読み込み");
  }

  async function loadExample() {
    const id = $("itaku-example").value;
    const out = $("itaku-load-message");
    if (!id) {
      tell(out, "記入例を選んでください。", true);
      return;
    }
    await withPython(out, async (python) => {
      const { value } = await python.call("example", [id]);
      if (value.error) {
        tell(out, value.error, true);
        return;
      }
      if (!(await mayReplace(`記入例「${value.title}」の回答`))) {
        message(out, "記入例の読み込みをやめました（今の回答はそのままです）。", false);
        return;
      }
      apply(value.answers, value.removed, value.reworded);
      setJob(null);
      markAnswered(Object.keys(value.answers || {}));
      flag({});
      showAll = true;
      tell(out, `記入例「${value.title}」を読み込みました。自分の業務に合わせて書き換えてください。`, false);
      generated = null;
      await refresh({ now: true, keepScroll: true });
    }, "記入例の読み込み");
  }

  // Loading answers or an example replaces the form (issue 31): when it differs from the form as first
  // drawn, the start-over confirmation (#itaku-reset-confirm) asks first, and what it replaces is kept
  // for 「元に戻す」 (#itaku-undo) until the page is closed, as for 「最初からやり直す」.
  let pristine = ""; // the form's answers as drawn (the defaults)
  let pendingConfirm = null;
  const RESET_QUESTION = $("itaku-reset-question").textContent;
  const RESET_OK = $("itaku-reset-ok").textContent;
  const UNDO_LABEL = $("itaku-undo").textContent;
  function mayReplace(what) {
    const now = collect();
    if (JSON.stringify(now) === pristine) { // nothing to lose; what is loaded is not typed work
      typedSinceLoad = false;
      return Promise.resolve(true);
    }
    const keep = (ok) => {
      if (ok) {
        undo = { ...now, touched: new Set(touched), showAll, job: jobIds };
        $("itaku-undo").textContent = "読み込む前の回答に戻す";
        $("itaku-undo").hidden = false;
        typedSinceLoad = false;
      }
      return ok;
    };
    if (!typedSinceLoad) return Promise.resolve(keep(true)); // nothing typed: replaced, and can be undone
    return new Promise((resolve) => {
      pendingConfirm = (ok) => {
        $("itaku-reset-question").textContent = RESET_QUESTION;
        $("itaku-reset-ok").textContent = RESET_OK;
        resolve(keep(ok));
      };
      $("itaku-reset-question").textContent = `${what}で、今の回答を置き換えます。置き換える前の回答は、このページを閉じるまでは「読み込む前の回答に戻す」で戻せます。置き換えますか。`;
      $("itaku-reset-ok").textContent = "置き換える";
      $("itaku-reset-confirm").hidden = false;
      $("itaku-reset-cancel").focus();
    });
  }

  function answerConfirm(ok) {
    const resolve = pendingConfirm;
    pendingConfirm = null;
    $("itaku-reset-confirm").hidden = true;
    resolve(ok);
  }

  async function identify(input) {
    const out = $("itaku-identify-result");
    const buffer = await readFile(input);
    if (!buffer) return;
    await withPython(out, async (python) => {
      const { value } = await python.call("identify", [], buffer);
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
    });
  }

  // ------------------------------------------------------------------ 来年度の文書 (next year's set)
  // Python (itaku.nextyear) moves the period, the 年度 in 業務名 and 作成日, clears the contractor when the
  // job is tendered again, and lists every change; the form takes them only after the user confirms,
  // and 「来年度にする前の回答に戻す」 brings this year's answers (and job id) back.
  const NEXT_UNDO = "来年度にする前の回答に戻す";
  let nextYear = null; // Python's proposal shown in #itaku-next-year-confirm

  function today() {
    const now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  }

  async function proposeNextYear() {
    const out = $("itaku-load-message");
    await withPython(out, async (python) => {
      const { answers, removed, reworded } = collect();
      const { value } = await python.call("next_year", [answers, removed, jobIds, today(), $("itaku-retender").checked, reworded]);
      if (value.error) {
        tell(out, value.error, true);
        $("itaku-next-year-confirm").hidden = true;
        return;
      }
      nextYear = value;
      $("itaku-next-year-changes").replaceChildren(...value.changes.map((c) => el("li", { "data-change": c.key },
        el("strong", { text: c.label }), `：${c.before || "（空欄）"} → ${c.after || "（空欄）"}`)));
      $("itaku-next-year-notes").replaceChildren(...value.notes.map((n) => el("p", { class: "itaku-note", text: n })));
      message(out, "来年度の回答にする前に、変わる内容を確かめてください。", false);
      $("itaku-next-year-confirm").hidden = false;
      $("itaku-next-year-ok").focus();
    }, "来年度の回答の準備");
  }

  async function acceptNextYear() {
    const proposal = nextYear;
    nextYear = null;
    $("itaku-next-year-confirm").hidden = true;
    if (!proposal) return;
    undo = { ...collect(), touched: new Set(touched), showAll, job: jobIds };
    $("itaku-undo").textContent = NEXT_UNDO;
    $("itaku-undo").hidden = false;
    const kept = collect(); // removals and rewordings stay for next year
    apply(proposal.answers, kept.removed, kept.reworded);
    setJob(proposal.ids);
    markAnswered(proposal.changes.map((c) => c.key));
    typedSinceLoad = true;
    generated = null;
    save(collect());
    const named = proposal.changes.map((c) => c.label).join("・");
    tell($("itaku-load-message"), `来年度の回答にしました（${named}を変えました）。ダウンロードする文書は来年度の業務として記録され、`
      + "業務記録ファイルには昨年度の業務とのつながりが残ります。他の回答も今年度の内容に合っているか確かめてください。", false);
    await refresh({ now: true, keepScroll: true });
  }

  // ------------------------------------------------------------------ start

  function wire() {
    const touch = (event) => {
      const target = event.target;
      const question = target.closest(".itaku-q[data-key]");
      if (question) {
        touched.add(question.dataset.key);
        changedKey = question.dataset.key;
      }
      const clause = target.dataset.remove || target.dataset.reason;
      if (clause) {
        touched.add("removed:" + clause);
        changedKey = "removed:" + clause;
      }
      const paragraph = target.dataset.rewordText || target.dataset.rewordReason;
      if (paragraph) {
        touched.add("reworded:" + paragraph);
        touched.add("reworded-reason:" + paragraph);
        changedKey = "reworded:" + paragraph;
      }
    };
    form.addEventListener("input", (event) => {
      touch(event);
      typedSinceLoad = true;
      clearTimeout(prefetchTimer);
      schedule(); // files already made stay: make() reuses them only for the same answers (its key)
    });
    form.addEventListener("change", (event) => {
      touch(event);
      typedSinceLoad = true;
      const box = event.target.closest("input[data-remove]");
      if (box) $("wrap-reason-" + box.dataset.remove).hidden = !box.checked;
      // Not a reason to drop files made in the background: leaving a text field for a download button
      // fires "change" for answers the files were already made from (make() compares its key).
      schedule();
    });
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("click", (event) => { // add or remove a rewording, or a row of a list question
      const reword = event.target.closest("#itaku-reword-add, [data-reword-remove]");
      if (reword) {
        typedSinceLoad = true;
        if (reword.id === "itaku-reword-add") {
          const key = $("itaku-reword-select").value;
          if (!key) {
            message($("itaku-reword-notes"), "文言を変える項・号を選んでください。", true);
            $("itaku-reword-select").focus();
            return;
          }
          const entry = rewording.add(key);
          if (entry) entry.querySelector("[data-reword-text]").focus();
        } else {
          rewording.remove(reword.dataset.rewordRemove);
          touched.delete("reworded:" + reword.dataset.rewordRemove);
          touched.delete("reworded-reason:" + reword.dataset.rewordRemove);
          $("itaku-reword-select").focus();
        }
        schedule();
        return;
      }
      const button = event.target.closest("[data-add-row], [data-remove-row]");
      if (!button) return;
      const wrap = $("wrap-" + (button.dataset.addRow || button.dataset.removeRow));
      touch(event);
      if (button.dataset.addRow) {
        addRow(wrap).querySelector("[data-column]").focus();
      } else {
        button.closest("tr").remove();
        setRows(wrap, CODECS.list.read(wrap)); // renumber the labels
        (rowsOf(wrap).querySelector("[data-column]") || wrap.querySelector("[data-add-row]")).focus();
      }
      schedule();
    });
    $("itaku-download-list").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-output]");
      if (!button) return;
      if (!client) {
        message($("itaku-download-status"), "プレビューと文書の作成を準備しています。準備ができるとダウンロードできます。", false);
      } else if (button.getAttribute("aria-disabled") !== "true") {
        download(button);
      } else {
        // What is missing is known from the last round trip: shown at once, even while Python is still
        // busy (loading its libraries takes seconds on a first visit), then brought up to date.
        showAll = true;
        showKnownProblems();
        $("itaku-error-summary").focus();
        refresh({ now: true }).then(() => $("itaku-error-summary").focus());
      }
    });
    // The jump links move the keyboard focus too (a plain fragment link only scrolls in some browsers).
    for (const [link, target] of [["itaku-jump-preview", "itaku-preview"], ["itaku-jump-form", "itaku-form-title"]]) {
      $(link).addEventListener("click", (event) => {
        event.preventDefault();
        const node = $(target);
        if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
        node.scrollIntoView({ block: "start" });
        node.focus({ preventScroll: true });
      });
    }
    $("itaku-print").addEventListener("click", () => window.print());
    // Printing shows every document: the panels leave their exclusive group while printing.
    window.addEventListener("beforeprint", () => {
      for (const panel of document.querySelectorAll("#itaku-preview details[data-doc]")) {
        panel.dataset.wasOpen = panel.open ? "1" : "";
        panel.dataset.group = panel.getAttribute("name") || "";
        panel.removeAttribute("name");
        panel.open = true;
      }
    });
    window.addEventListener("afterprint", () => {
      for (const panel of document.querySelectorAll("#itaku-preview details[data-doc]")) {
        panel.open = panel.dataset.wasOpen === "1";
        if (panel.dataset.group) panel.setAttribute("name", panel.dataset.group);
      }
    });
    $("itaku-answers-file").addEventListener("change", (event) => loadAnswers(event.target));
    $("itaku-identify-file").addEventListener("change", (event) => identify(event.target));
    $("itaku-example-load").addEventListener("click", loadExample);
    $("itaku-next-year").addEventListener("click", () => {
      const same = form.querySelector('[name="same_contractor_every_year"]');
      $("itaku-retender").checked = !(same && same.checked); // 毎年同じ事業者: keep the name unless told
      proposeNextYear();
    });
    $("itaku-retender").addEventListener("change", proposeNextYear);
    $("itaku-next-year-ok").addEventListener("click", acceptNextYear);
    $("itaku-next-year-cancel").addEventListener("click", () => {
      nextYear = null;
      $("itaku-next-year-confirm").hidden = true;
      message($("itaku-load-message"), "来年度の回答にするのをやめました（今の回答はそのままです）。", false);
      $("itaku-next-year").focus();
    });
    // 「最初からやり直す」 asks first; the answers it clears stay in memory until the page is
    // closed, and 「消した回答を元に戻す」 brings them back.
    $("itaku-reset").addEventListener("click", () => {
      if (pendingConfirm) answerConfirm(false);
      $("itaku-reset-confirm").hidden = false;
      $("itaku-reset-cancel").focus();
    });
    $("itaku-reset-cancel").addEventListener("click", () => {
      if (pendingConfirm) {
        answerConfirm(false);
        return;
      }
      $("itaku-reset-confirm").hidden = true;
      $("itaku-reset").focus();
    });
    $("itaku-reset-ok").addEventListener("click", async () => {
      if (pendingConfirm) {
        answerConfirm(true);
        return;
      }
      $("itaku-reset-confirm").hidden = true;
      undo = { ...collect(), touched: new Set(touched), showAll, job: jobIds };
      $("itaku-undo").textContent = UNDO_LABEL;
      autosave.remove();
      apply({}, {}, {});
      setJob(null);
      // The previous job's preview and summary go too: nothing of it stays on screen after starting over.
      $("itaku-preview").replaceChildren(el("p", { class: "itaku-note", text: "回答を初期値に戻しました。質問に答えると、ここに文書の内容が表示されます。" }));
      lastOutputs = null;
      lastDownloads = null;
      openDoc = null; // the next job's preview opens on the specification, as on a fresh page
      todayAsCreated();
      flag({});
      showAll = false;
      typedSinceLoad = false; // nothing typed on the fresh form: the next load need not ask
      touched.clear();
      generated = null;
      message($("itaku-load-message"), "回答を初期値に戻しました。間違えた場合は「消した回答を元に戻す」を押してください（このページを閉じるまで戻せます）。", false);
      $("itaku-undo").hidden = false;
      $("itaku-undo").focus();
      if (client) await refresh({ keepScroll: true });
    });
    $("itaku-undo").addEventListener("click", async () => {
      if (!undo) return;
      apply(undo.answers, undo.removed, undo.reworded);
      setJob(undo.job);
      touched.clear();
      for (const key of undo.touched) touched.add(key);
      showAll = undo.showAll;
      undo = null;
      generated = null;
      typedSinceLoad = JSON.stringify(collect()) !== pristine; // the answers brought back are typed work again
      save(collect());
      $("itaku-undo").hidden = true;
      const label = $("itaku-undo").textContent;
      message($("itaku-load-message"), label === UNDO_LABEL ? "消した回答を元に戻しました。"
        : label === NEXT_UNDO ? "来年度にする前の回答に戻しました。" : "読み込む前の回答に戻しました。", false);
      $("itaku-reset").focus();
      if (client) await refresh({ keepScroll: true });
    });
    $("itaku-download-why").addEventListener("click", (event) => {
      const link = event.target.closest("a[data-problem]");
      if (link && focusQuestion(link.getAttribute("href"))) event.preventDefault();
    });
    $("itaku-error-summary").addEventListener("click", (event) => {
      const link = event.target.closest('a[href^="#"]');
      if (link && focusQuestion(link.getAttribute("href"))) event.preventDefault();
    });
    // Which document the reader has open (details' toggle does not bubble: listen while capturing).
    $("itaku-preview").addEventListener("toggle", (event) => {
      const panel = event.target;
      if (panel.matches && panel.matches("details[data-doc]") && panel.open) {
        openDoc = panel.dataset.doc;
        panel.classList.remove("itaku-doc-changed");
      }
    }, true);
  }

  async function start() {
    if (typeof WebAssembly !== "object" || !globalThis.ItakuLoader) {
      fail("このブラウザでは Python（WebAssembly）を動かせないため、文書を作成できません。");
      return null;
    }
    let python;
    try {
      python = await window.ItakuPage.startRuntime("../assets/generator/", progress, { early: true, warmUp: true });
    } catch (error) {
      fail(error.message);
      return null;
    }
    client = python;
    root.dataset.mode = python.mode;
    const dropped = addLocalClauses(python.edition);
    if (dropped) message($("itaku-load-message"), dropped, true);
    // The 団体の設定 may choose 甲・乙 or 委託者・受託者: a fresh form (nothing saved, not yet touched)
    // follows it; the form's build-time default is the built-in edition's.
    const style = python.edition && python.edition.party_style;
    if (style && !saved && !touched.has("party_style")) {
      const fresh = JSON.stringify(collect()) === pristine;
      const radio = form.querySelector(`[name="party_style"][value="${CSS.escape(style)}"]`);
      if (radio) radio.checked = true;
      if (fresh) pristine = JSON.stringify(collect());
    }
    await refresh({ keepScroll: true }); // validates what was typed meanwhile; questions follow visible_keys
    progress("ready", 1);
    $("itaku-runtime").hidden = true;
    root.dataset.state = "ready";
    python.librariesReady.then(() => { root.dataset.libraries = "ready"; prefetchSoon(); });
    return python;
  }

  // 作成日 of a fresh form starts as today: a default of the form only (the documents take every date
  // from the answers, never from the clock, so the same answers still give the same files).
  function todayAsCreated() {
    const box = $("q-created_on");
    if (!box || box.value) return;
    const now = new Date();
    box.value = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  }

  // The form works from the first paint: restore the saved answers, listen, then start Python.
  todayAsCreated(); // part of the form as drawn (a restored file or autosave replaces it)
  pristine = JSON.stringify(collect());
  const saved = restore();
  if (saved) apply(saved.answers, saved.removed || {}, saved.reworded || {});
  if (saved) setJob(saved.job);
  if (saved) markAnswered(Array.isArray(saved.touched) ? saved.touched : Object.keys(saved.answers)); // older saves: all answered
  showAll = Boolean(saved);
  typedSinceLoad = Boolean(saved) && (typeof saved.typed === "boolean" ? saved.typed
                                                                      : JSON.stringify(collect()) !== pristine);
  wire();
  whenReady = start();
})();
