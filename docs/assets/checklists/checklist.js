// The checklist pages (委託先を確認する): docs/checklists/{selection,before,after}/index.md.
//
// The item list is static HTML rendered at build time (overrides/hooks/checklist_pages.py);
// no Python runs until a file is loaded. Then the generator's loader
// (docs/assets/generator/loader.js) starts Pyodide and every rule comes from
// itaku.web: job_scope (which items apply, the job's name, next check, earlier
// answers), import_checklist (a contractor's filled workbook, with flags) and
// save_check (the record of the check: record.xlsx, record.json, job.json).
// This file only counts statuses for the summary, shows and hides items and
// moves values; user text is written with textContent or .value, never as HTML.
//
// Root: #checklist[data-phase][data-state]: idle → loading → ready | error.
(function () {
  "use strict";

  const root = document.getElementById("checklist");
  if (!root) return;
  const phase = root.dataset.phase;
  const STORAGE_KEY = "itaku-checklist-" + phase;
  const HANDOFF_KEY = "itaku-register-handoff"; // written by docs/assets/register/register.js
  const STAGES = { load: [0, 40, "読み込み"], python: [45, 70, "Python 起動"], libraries: [75, 95, "ライブラリ"],
                   ready: [100, 100, "準備完了"] };
  const FLAG_LABELS = { unanswered: "未回答", nonconforming: "不適合", contradiction: "契約前と相違",
                        no_evidence: "根拠の記載なし" };
  const STATUSES = ["適合", "不適合", "該当なし", "未確認"];
  const KEEP = "（入力した内容はそのままです。）";
  const $ = (id) => document.getElementById(id);

  let items = [];
  let byId = new Map();
  function collectItems() {
    items = [...root.querySelectorAll("[data-item]")].map(itemOf);
    byId = new Map(items.map((item) => [item.id, item]));
  }
  function itemOf(node) {
    const id = node.dataset.item;
    return {
      id, node,
      no: node.querySelector(".itaku-item-no"),
      status: node.querySelector('select[name="status"]'),
      evidence: node.querySelector('textarea[name="evidence"]'),
      note: node.querySelector('textarea[name="note"]'),
      due: node.querySelector('input[name="due"]'),
      checkedOn: node.querySelector('input[name="checked_on"]'),
      checker: node.querySelector('input[name="checker"]'),
      flags: $("f-" + id),
      hint: $("nh-" + id),
    };
  }
  collectItems();

  // Items the 団体の設定 (edition.js) added: the built page does not have them, so Python draws them
  // with the built page's renderer (itaku.render.check_items, escaped there) when a job is loaded;
  // each goes into its clause's group, or into a group of its own. Those of an earlier job go first.
  function addItems(groups) {
    for (const node of root.querySelectorAll("[data-added]")) node.remove();
    const list = $("itaku-items");
    for (const group of groups || []) {
      const existing = list.querySelector(`.itaku-group[data-group="${CSS.escape(group.group)}"]`);
      const template = document.createElement("template");
      template.innerHTML = existing ? group.items : group.section;
      for (const node of template.content.querySelectorAll("[data-item]")) node.dataset.added = "1";
      (existing || list).append(template.content);
    }
    collectItems();
  }

  // What the page holds besides the DOM (saved to localStorage when possible).
  let job = null;          // {record, items, numbers, work_name, next_check} from web.job_scope (record: as loaded)
  let companies = { "": { role: "受託者", name: "", answers: {} } };
  let current = "";
  let flags = {};          // company key → [{item_id, kind, message}] from web.import_checklist
  let saved = null;        // {key, files, record} of the last save
  let sessionChecks = new Map(); // company key → the check saved for it on this page
  let storeTimer = null;
  let undo = null;         // the page as it was before 「最初からやり直す」 or a replacement, until the page is closed
  let dirty = false;       // answers typed or imported since the last load or save (unsaved work; kept in autosave)
  let pending = null;      // the question shown in #itaku-reset-confirm: (ok: boolean) => void

  // ------------------------------------------------------------------ helpers

  const { el, saveBlob } = window.ItakuPage;
  const say = window.ItakuPage.message;
  // Autosave that says at once when the browser refuses it and notices another tab (issue 31).
  const autosave = window.ItakuPage.autosave(STORAGE_KEY, $("itaku-storage-note"),
    "このブラウザに入力を保存できませんでした（保存領域が使えないか、いっぱいです）。このページを閉じると入力は失われます。"
    + "「確認の記録を作成」を押し、更新した業務記録（job.json）と確認の記録（record.json・record.xlsx）をダウンロードして保管してください。");
  autosave.onOverwrite = () => store();

  function str(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  function contractorName() {
    return job && job.record && job.record.stamp ? str(job.record.stamp.company) : "";
  }

  // One number per item: with a job, the No. of the job's Excel checklist (web.job_scope);
  // without one, the item id only (the static page has no number that could mislead).
  function itemNo(item) {
    if (!job) return "";
    const n = job.numbers && job.numbers[item.id];
    return n ? "No. " + n : "";
  }

  function itemLabel(item) {
    const no = itemNo(item);
    return no ? `${no}（${item.id}）` : "項目ID " + item.id;
  }

  function companyLabel(key) {
    if (key === "") return "受託者" + (contractorName() ? "：" + contractorName() : "");
    return "再委託先：" + key;
  }

  // ------------------------------------------------------------------ answers in the DOM

  // Each answer field has its own control, named like the record's field (itaku.checks.ANSWER_FIELDS).
  const FIELDS = [["status", "status"], ["evidence_seen", "evidence"], ["note", "note"], ["due", "due"],
                  ["checked_on", "checkedOn"], ["checker", "checker"]];

  function collect() {
    const answers = {};
    for (const item of items) {
      const row = {};
      for (const [field, control] of FIELDS) row[field] = item[control].value;
      if (FIELDS.some(([field]) => row[field])) answers[item.id] = row;
    }
    return answers;
  }

  function apply(answers) {
    for (const item of items) {
      const row = (answers && answers[item.id]) || {};
      for (const [field, control] of FIELDS) item[control].value = str(row[field]);
      const status = str(row.status);
      item.status.value = ["適合", "不適合", "該当なし"].includes(status) ? status : "";
    }
  }

  // The answers on the page into the current company; answers of items not drawn (yet: those a
  // 団体の設定 added, before Python has drawn them) are kept as they were.
  function remember() {
    const before = (companies[current] && companies[current].answers) || {};
    const kept = Object.fromEntries(Object.entries(before).filter(([id]) => !byId.has(id)));
    companies[current] = { ...(companies[current] || { role: "受託者", name: "" }), answers: { ...kept, ...collect() } };
  }

  function meta() {
    return { date: $("itaku-date").value, method: $("itaku-method").value, checker: $("itaku-checker").value,
             findings: $("itaku-findings").value, follow_up: $("itaku-follow-up").value };
  }

  function applyMeta(m) {
    m = m || {};
    $("itaku-date").value = /^\d{4}-\d{2}-\d{2}$/.test(str(m.date)) ? str(m.date) : "";
    $("itaku-method").value = m.method === "実地" ? "実地" : "書面";
    $("itaku-checker").value = str(m.checker);
    $("itaku-findings").value = str(m.findings);
    $("itaku-follow-up").value = str(m.follow_up);
  }

  // ------------------------------------------------------------------ scope, companies, flags

  function applyScope() {
    const inScope = job ? new Set(job.items) : null;
    if (job && !job.numbers) job.numbers = Object.fromEntries(job.items.map((id, n) => [id, String(n + 1)]));
    for (const item of items) {
      item.node.hidden = Boolean(inScope) && !inScope.has(item.id);
      const no = itemNo(item);
      item.no.textContent = no ? no + " " : "";
      item.no.hidden = !no;
    }
    for (const group of root.querySelectorAll(".itaku-group[data-group]")) {
      group.hidden = ![...group.querySelectorAll("[data-item]")].some((node) => !node.hidden);
    }
    const info = $("itaku-job-info");
    info.replaceChildren();
    info.hidden = !job;
    root.toggleAttribute("data-scoped", Boolean(job));
    if (!job) return;
    const list = el("dl", { class: "itaku-job-facts" });
    const fact = (term, text, attr) => list.append(el("dt", { text: term }), el("dd", { text, "data-fact": attr }));
    fact("業務名", str(job.work_name), "work-name");
    if (contractorName()) fact("受託者", contractorName(), "contractor");
    const shown = job.items.filter((id) => byId.has(id)).length;
    fact("対象の項目", `${shown} 件（この業務に当てはまらない ${items.length - shown} 件は表示していません）`, "count");
    const next = job.next_check;
    fact("次の確認", next ? `${str(next.due)}まで（${str(next.what)}、${str(next.method)}）` : "監督計画に予定がありません", "next-check");
    info.append(list);
  }

  function fillCompanies() {
    const select = $("itaku-company");
    select.replaceChildren();
    for (const key of Object.keys(companies)) {
      select.append(el("option", { value: key, text: companyLabel(key) }));
    }
    select.value = current;
    root.dataset.company = current;
  }

  function showFlags() {
    const list = flags[current] || [];
    const per = new Map();
    for (const flag of list) {
      if (!per.has(flag.item_id)) per.set(flag.item_id, []);
      per.get(flag.item_id).push(flag);
    }
    for (const item of items) {
      const mine = per.get(item.id) || [];
      item.node.classList.toggle("itaku-flagged", mine.length > 0);
      item.flags.hidden = mine.length === 0;
      item.flags.replaceChildren(...mine.map((flag) => el("p", { class: "itaku-flag-line", "data-flag": flag.kind },
        el("span", { class: "itaku-flag", text: FLAG_LABELS[flag.kind] || flag.kind }), " " + str(flag.message))));
    }
  }

  // Python sends the flags most urgent first (不適合, 根拠なし, …); the counts per kind head the list.
  function flagList(list, unknown, notes) {
    const out = $("itaku-import-result");
    out.replaceChildren();
    const shown = list.filter((flag) => byId.has(flag.item_id));
    const counts = new Map();
    for (const flag of shown) counts.set(flag.kind, (counts.get(flag.kind) || 0) + 1);
    const perKind = [...counts].map(([kind, n]) => `${FLAG_LABELS[kind] || kind} ${n} 件`).join("、");
    out.append(el("p", { class: "itaku-ok", text: `${companyLabel(current)} の確認表を読み込みました。確認が必要な点が ${shown.length} 件あります` +
                                                  (perKind ? `（${perKind}）。` : "。") }));
    for (const note of notes || []) out.append(el("p", { class: "itaku-warn", "data-import-note": "mapped", text: str(note) }));
    if (unknown && unknown.length) {
      out.append(el("p", { class: "itaku-warn", text: `この業務に当てはまらない項目の回答 ${unknown.length} 件は読み込みませんでした。` }));
    }
    if (!shown.length) return;
    const ul = el("ul", { class: "itaku-flag-list" });
    for (const flag of shown) {
      const item = byId.get(flag.item_id);
      ul.append(el("li", { "data-flag": flag.kind, "data-flag-item": flag.item_id },
        el("span", { class: "itaku-flag", text: FLAG_LABELS[flag.kind] || flag.kind }), " ",
        el("a", { href: "#item-" + flag.item_id, text: itemLabel(item) }), "：" + str(flag.message)));
    }
    out.append(ul);
  }

  // ------------------------------------------------------------------ summary (counts only; rules are Python's)

  function visibleItems() {
    return items.filter((item) => !item.node.hidden);
  }

  function summarize() {
    const counts = { 適合: 0, 不適合: 0, 該当なし: 0, 未確認: 0 };
    const open = [];
    const improvements = [];
    for (const item of items) {
      const status = item.status.value;
      const bad = status === "不適合";
      item.node.dataset.status = status || "未確認";
      item.node.querySelector(".itaku-due").hidden = !bad && !item.due.value;
      const missing = bad && !item.note.value.trim();
      item.hint.hidden = !missing;
      item.hint.textContent = missing ? "不適合の項目には改善計画（改善の内容）を備考に、期限を改善期限に書いてください。" : "";
      if (missing) item.note.setAttribute("aria-invalid", "true");
      else item.note.removeAttribute("aria-invalid");
      if (item.node.hidden) continue;
      counts[status || "未確認"] += 1;
      if (!status) open.push(item);
      if (bad) improvements.push(item);
    }
    const box = $("itaku-summary");
    const total = visibleItems().length;
    const countList = el("ul", { class: "itaku-counts" });
    for (const status of STATUSES) {
      countList.append(el("li", { "data-status": status }, el("span", { class: "itaku-count-label", text: status + "：" }),
                          el("span", { "data-count": status, text: String(counts[status]) }), " 件"));
    }
    countList.append(el("li", {}, el("span", { class: "itaku-count-label", text: "対象：" }),
                        el("span", { "data-count": "total", text: String(total) }), " 件"));
    const parts = [el("p", { text: `表示している事業者：${companyLabel(current)}` }), countList];
    if (open.length) {
      const details = el("details", { class: "itaku-open" }, el("summary", { text: `まだ答えていない項目（${open.length} 件）` }));
      const ul = el("ul");
      for (const item of open) ul.append(el("li", {}, el("a", { href: "#item-" + item.id, text: itemLabel(item) })));
      details.append(ul);
      parts.push(details);
    } else {
      parts.push(el("p", { class: "itaku-ok", text: "すべての項目に回答があります。" }));
    }
    const h = el("h3", { text: `改善指示（不適合 ${improvements.length} 件）` });
    parts.push(h);
    if (improvements.length) {
      const ul = el("ul", { class: "itaku-improvements" });
      for (const item of improvements) {
        const plan = item.note.value.trim();
        ul.append(el("li", { "data-improvement": item.id },
          el("a", { href: "#item-" + item.id, text: itemLabel(item) }),
          "：改善計画 " + (plan || "（未記入：備考に書いてください）") + "／期限 " + (item.due.value || "（未記入）")));
      }
      parts.push(ul);
    } else {
      parts.push(el("p", { text: "不適合の項目はありません。" }));
    }
    box.replaceChildren(...parts);
  }

  // ------------------------------------------------------------------ autosave

  function store() {
    clearTimeout(storeTimer);
    storeTimer = null;
    remember();
    autosave.write(JSON.stringify(snapshot()));
  }

  function scheduleStore() {
    clearTimeout(storeTimer);
    storeTimer = setTimeout(store, 300);
  }

  function snapshot() {
    return { version: 2, job, companies, current, flags, meta: meta(), dirty };
  }

  // Version 1 (before 改善期限 had its own field) saved the page's 改善期限 as checked_on.
  function upgrade(data) {
    if (data.version !== 1) return data;
    for (const company of Object.values(data.companies)) {
      for (const row of Object.values((company && company.answers) || {})) {
        if (row && row.checked_on && !row.due) { row.due = row.checked_on; row.checked_on = ""; }
      }
    }
    return { ...data, version: 2 };
  }

  function restore() {
    let data = null;
    try {
      data = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      return;
    }
    if (!data || ![1, 2].includes(data.version) || typeof data.companies !== "object" || !data.companies) return;
    load(upgrade(data));
  }

  function load(data) {
    job = data.job && Array.isArray(data.job.items) ? data.job : null;
    companies = data.companies;
    if (!companies[""]) companies[""] = { role: "受託者", name: "", answers: {} };
    current = Object.prototype.hasOwnProperty.call(companies, data.current) ? data.current : "";
    flags = data.flags && typeof data.flags === "object" ? data.flags : {};
    dirty = data.dirty === true || (data.dirty === undefined && hasAnswers());
    applyMeta(data.meta);
    apply(companies[current].answers);
  }

  // A job restored from this browser (or by 元に戻す) may list added items the page has not drawn:
  // Python is started for them, and the answers are shown again once they are there.
  async function restoreAddedItems() {
    if (!job || !job.items.some((id) => !byId.has(id))) return;
    const py = await ensureClient();
    const record = job && job.record;
    if (!py || !record) return;
    const { value } = await py.call("job_scope", [phase], new TextEncoder().encode(JSON.stringify(record)).buffer);
    if (value.error || !job || job.record !== record) return;
    remember();
    addItems(value.added_groups);
    apply(companies[current].answers);
    applyScope();
    showFlags();
    summarize();
  }

  // ------------------------------------------------------------------ asking before a replacement (issue 31)

  function hasAnswers() {
    return Object.values(companies).some((c) => Object.values((c && c.answers) || {})
      .some((row) => row && Object.values(row).some((v) => str(v) !== "")));
  }

  function typedCount() {
    return Object.values(companies).reduce((n, c) => n + Object.keys((c && c.answers) || {}).length, 0);
  }

  // The inline confirmation (#itaku-reset-confirm, focus on 「やめる」) with this question and OK label.
  const CONFIRM_OK = $("itaku-reset-ok").textContent;
  function confirmBox(question, okLabel) {
    return new Promise((resolve) => {
      $("itaku-reset-question").textContent = question;
      $("itaku-reset-ok").textContent = okLabel || CONFIRM_OK;
      pending = resolve;
      $("itaku-reset-confirm").hidden = false;
      $("itaku-reset-cancel").focus();
    });
  }

  function answerConfirm(ok) {
    $("itaku-reset-confirm").hidden = true;
    $("itaku-reset-ok").textContent = CONFIRM_OK;
    const resolve = pending;
    pending = null;
    if (resolve) resolve(ok);
  }

  // What the page holds now, kept until the page is closed; 「元に戻す」 (#itaku-undo) brings it back.
  const UNDO_LABEL = $("itaku-undo").textContent;
  function keepUndo(label) {
    remember();
    undo = { data: JSON.parse(JSON.stringify(snapshot())), sessionChecks: new Map(sessionChecks) };
    $("itaku-undo").textContent = label || UNDO_LABEL;
    $("itaku-undo").hidden = false;
  }

  // Before unsaved answers are replaced: asks (resolves false when the user declines) and keeps them for
  // 元に戻す. Nothing is asked when nothing typed would be lost.
  async function mayReplace(what) {
    remember();
    if (!dirty || !hasAnswers()) return true;
    const ok = await confirmBox(`${what}で、このページの保存していない入力（回答 ${typedCount()} 件と確認の記録の欄）を置き換えます。`
      + "置き換えた入力は、このページを閉じるまでは「読み込む前の入力に戻す」で戻せます。置き換えますか。", "置き換える");
    if (ok) keepUndo("読み込む前の入力に戻す");
    return ok;
  }

  // ------------------------------------------------------------------ the Python runtime, on demand

  const runtime = window.ItakuPage.runtimeOnDemand(root, "../../assets/generator/", STAGES, $("itaku-message"),
                                                   "ファイルの読み込みと記録の作成はできません。" + KEEP, "ready");
  const ensureClient = runtime.ensure;
  const { readFile } = window.ItakuPage;

  // ------------------------------------------------------------------ job record

  function fromRecord(record) {
    // The latest check of this phase per company (the record's own data, no rule).
    const stampCompany = record.stamp ? str(record.stamp.company) : "";
    const found = {};
    let last = null;
    for (const check of record.checks || []) {
      if (!check || check.phase !== phase) continue;
      const key = check.role === "再委託先" && check.company && check.company !== stampCompany ? str(check.company) : "";
      found[key] = { role: key ? "再委託先" : "受託者", name: key, answers: check.answers || {} };
      last = check;
    }
    return { found, last };
  }

  async function loadJob(input) {
    const buffer = await readFile(input);
    if (buffer) await loadJobBuffer(buffer);
  }

  // Opened from the register (委託台帳) with ?job=HASH: the register left the job record under
  // HANDOFF_KEY; it is used once, and only if it is the job named in the address.
  async function openFromRegister() {
    const wanted = new URLSearchParams(location.search).get("job");
    if (!wanted) return;
    let handoff = null;
    try {
      handoff = JSON.parse(localStorage.getItem(HANDOFF_KEY) || "null");
      localStorage.removeItem(HANDOFF_KEY);
    } catch (error) {
      handoff = null;
    }
    if (!handoff || handoff.job !== wanted || typeof handoff.text !== "string") {
      say($("itaku-message"), "委託台帳から業務記録を受け取れませんでした。業務記録ファイル（job.json）を選んでください。", true);
      return;
    }
    await loadJobBuffer(new TextEncoder().encode(handoff.text).buffer);
  }

  async function loadJobBuffer(buffer) {
    const out = $("itaku-message");
    const py = await ensureClient();
    if (!py) return;
    const { value } = await py.call("job_scope", [phase], buffer);
    if (value.error) {
      say(out, value.error + KEEP, true);
      return;
    }
    if (!(await mayReplace(`業務記録「${str(value.work_name)}」`))) {
      say(out, "業務記録の読み込みをやめました。" + KEEP, false);
      return;
    }
    remember();
    job = { record: value.record, items: value.items, numbers: value.numbers, work_name: value.work_name,
            next_check: value.next_check };
    addItems(value.added_groups);
    saved = null;
    sessionChecks = new Map();
    const { found, last } = fromRecord(value.record);
    let text = `業務記録「${str(value.work_name)}」を読み込みました。`;
    if ((value.unknown_items || []).length) {
      text += `この団体の設定にない確認項目 ${value.unknown_items.length} 件（${value.unknown_items.join("、")}）は表示できません。業務記録を作った時の団体の設定（edition.js）で開いてください。`;
    }
    // One record, one job: the sheet shows only this job's answers (never those of the job shown before).
    companies = { "": { role: "受託者", name: "", answers: {} }, ...found };
    flags = {};
    current = "";
    dirty = false;
    if (last) {
      applyMeta({ ...last, date: last.date });
      text += `前回の確認（${str(last.date)}）の回答を表示しています。`;
    } else {
      applyMeta({});
      text += "この段階の確認はまだ記録されていません。";
    }
    apply(companies[current].answers);
    applyScope();
    fillCompanies();
    showFlags();
    summarize();
    store();
    say(out, text, false);
  }

  // ------------------------------------------------------------------ import a filled checklist

  async function importChecklist(input) {
    const out = $("itaku-import-result");
    const buffer = await readFile(input);
    if (!buffer) return;
    if (!job) {
      say(out, "先に「業務記録の読み込み」で業務記録ファイル（job.json）を読み込んでください。確認表がこの業務のものかを確かめるために必要です。" + KEEP, true);
      return;
    }
    const role = $("itaku-import-role").value;
    const name = $("itaku-import-company").value.trim();
    if (role === "再委託先" && !name) {
      say(out, "再委託先の事業者名を入力してから読み込んでください。" + KEEP, true);
      return;
    }
    const py = await ensureClient();
    if (!py) return;
    const { value } = await py.call("import_checklist", [job.record, phase], buffer);
    if (value.error) {
      say(out, value.error + KEEP, true);
      return;
    }
    remember();
    const key = role === "再委託先" ? name : "";
    const mine = (companies[key] && companies[key].answers) || {};
    const filled = Object.values(mine).some((row) => row && Object.values(row).some((v) => str(v) !== ""));
    if (dirty && filled) {
      if (!(await mayReplace(`読み込んだ確認表（${companyLabel(key)}）`))) {
        say(out, "確認表の読み込みをやめました。" + KEEP, false);
        return;
      }
    }
    dirty = true; // imported answers are unsaved work until the record is made
    companies[key] = { role, name: key, answers: value.answers || {} };
    flags[key] = value.flags || [];
    current = key;
    apply(companies[key].answers);
    fillCompanies();
    showFlags();
    summarize();
    store();
    flagList(flags[key], value.unknown, value.notes);
  }

  function switchCompany(key) {
    remember();
    current = Object.prototype.hasOwnProperty.call(companies, key) ? key : "";
    apply(companies[current].answers);
    fillCompanies();
    showFlags();
    summarize();
    store();
  }

  // ------------------------------------------------------------------ the record of the check

  function check() {
    remember();
    const company = companies[current];
    return { phase, ...meta(), company: current || contractorName(), role: company.role || "受託者",
             answers: company.answers };
  }

  // Each company's check is saved separately; the checks saved in this session are chained
  // onto the record as loaded (web.save_check once per company, the shown company last), so
  // saving 受託者 and then a 再委託先 gives one job.json holding both, and saving a company
  // again replaces its check of this session instead of adding another.
  async function save() {
    const out = $("itaku-save-result");
    if (!job) {
      say(out, "記録を作成するには、先に業務記録ファイル（job.json）を読み込んでください。" + KEEP, true);
      return null;
    }
    const request = check();
    const chain = new Map(sessionChecks);
    chain.delete(current);
    chain.set(current, request);
    const key = JSON.stringify([...chain]);
    if (saved && saved.key === key) return saved;
    const py = await ensureClient();
    if (!py) return null;
    let record = job.record;
    let last = null;
    for (const [company, entry] of chain) {
      const { value, files } = await py.call("save_check", [record, entry]);
      if (value.error) {
        const who = company === current ? "" : `（${companyLabel(company)} の記録）`;
        say(out, value.error + who + KEEP, true);
        if (company === current) linkToField(out, value.field);
        return null;
      }
      record = value.record;
      last = { value, files };
    }
    sessionChecks = chain;
    saved = { key, files: last.files, names: last.value.names, record };
    dirty = false;
    store();
    const others = chain.size > 1 ? `この業務記録には、このページで作成した ${chain.size} 社分の記録が入ります。` : "";
    const names = last.value.names || {};
    say(out, `確認の記録を作成しました（${companyLabel(current)}、${request.date}、${request.method}）。${others}下のボタンで実施状況確認記録（${names["record.xlsx"] || "record.xlsx"}）・確認の記録（${names["record.json"] || "record.json"}）・更新した業務記録（${names["job.json"] || "job.json"}）をダウンロードして保管してください。続きは更新した業務記録を読み込むと再開できます。`, false);
    root.dataset.saved = "1";
    return saved;
  }

  // 「…へ移動」 under an error: moves focus to the control to correct (web.save_check names it).
  function linkToField(out, field) {
    const target = { date: "itaku-date", checker: "itaku-checker", method: "itaku-method" }[field] ||
      (byId.has(field) ? "n-" + field : "");
    if (!target) return;
    const what = byId.has(field) ? itemLabel(byId.get(field)) + " の備考" : $(target).labels[0].textContent;
    const link = el("a", { href: "#" + target, class: "itaku-fix", "data-fix": field, text: `${what}へ移動` });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      $(target).focus();
      $(target).scrollIntoView({ block: "center" });
    });
    out.append(el("p", {}, link));
  }

  async function download(button) {
    const name = button.dataset.output;
    button.setAttribute("aria-busy", "true");
    try {
      const result = await save();
      if (!result) return;
      const buffer = result.files[name];
      if (!buffer) return;
      // Transferred buffers are detached by a second use; keep a copy for the next click.
      // The file is named for the job, the phase and the check's date (web.save_check): the
      // updated job record never overwrites the original job.json in the same folder.
      saveBlob((result.names && result.names[name]) || name, buffer.slice(0));
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  // 「入力を消して最初からやり直す」: asks first; what was cleared stays in memory until the page
  // is closed and 「元に戻す」 brings it back (answers, job, companies, record fields, flags).
  async function askReset() {
    remember();
    const answered = typedCount();
    if (await confirmBox(`このページの入力（回答 ${answered} 件${job ? "、読み込んだ業務記録" : ""}、確認の記録の欄）をすべて消します。消した内容は、このページを閉じるまでは「元に戻す」で戻せます。消しますか。`)) reset();
  }

  function showState() {
    applyScope();
    fillCompanies();
    showFlags();
    summarize();
  }

  function reset() {
    keepUndo();
    autosave.remove();
    dirty = false;
    job = null;
    addItems([]);
    companies = { "": { role: "受託者", name: "", answers: {} } };
    current = "";
    flags = {};
    saved = null;
    sessionChecks = new Map();
    apply({});
    applyMeta({});
    showState();
    $("itaku-import-result").replaceChildren();
    $("itaku-save-result").replaceChildren();
    delete root.dataset.saved;
    say($("itaku-message"), "入力を消しました。間違えた場合は「消した入力を元に戻す」を押してください（このページを閉じるまで戻せます）。", false);
    $("itaku-undo").focus();
  }

  function restoreUndo() {
    if (!undo) return;
    load(undo.data);
    sessionChecks = undo.sessionChecks;
    saved = null;
    undo = null;
    dirty = true;
    showState();
    store();
    $("itaku-undo").hidden = true;
    say($("itaku-message"), "消した入力を元に戻しました。", false);
    $("itaku-reset").focus();
    restoreAddedItems();
  }

  // ------------------------------------------------------------------ start (no Python here)

  function wire() {
    const changed = () => {
      saved = null;
      dirty = true;
      summarize();
      scheduleStore();
    };
    root.addEventListener("input", (event) => {
      if (event.target.closest("[data-item], .itaku-record-fields")) changed();
    });
    root.addEventListener("change", (event) => {
      if (event.target.closest("[data-item], .itaku-record-fields")) changed();
    });
    $("itaku-job-file").addEventListener("change", (event) => loadJob(event.target));
    $("itaku-import-file").addEventListener("change", (event) => importChecklist(event.target));
    $("itaku-import-role").addEventListener("change", (event) => {
      $("itaku-import-company-row").hidden = event.target.value !== "再委託先";
    });
    $("itaku-company").addEventListener("change", (event) => switchCompany(event.target.value));
    $("itaku-save").addEventListener("click", () => save());
    $("itaku-downloads").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-output]");
      if (button) download(button);
    });
    $("itaku-print").addEventListener("click", () => window.print());
    $("itaku-reset").addEventListener("click", askReset);
    $("itaku-reset-ok").addEventListener("click", () => answerConfirm(true));
    $("itaku-reset-cancel").addEventListener("click", () => {
      answerConfirm(false);
      $("itaku-reset").focus();
    });
    $("itaku-undo").addEventListener("click", restoreUndo);
    // Links to an item (summary, flags, improvements) move focus to its 状況, not only the view.
    root.addEventListener("click", (event) => {
      const link = event.target.closest('a[href^="#item-"]');
      if (!link) return;
      const item = byId.get(link.getAttribute("href").slice("#item-".length));
      if (!item || item.node.hidden) return;
      event.preventDefault();
      item.status.focus();
      item.node.scrollIntoView({ block: "center" });
    });
    window.addEventListener("pagehide", () => { if (storeTimer) store(); });
  }

  restore();
  applyScope();
  fillCompanies();
  showFlags();
  summarize();
  wire();
  root.dataset.state = "idle";
  openFromRegister();
  restoreAddedItems();
})();
