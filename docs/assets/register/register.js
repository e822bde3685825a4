// The register page (委託台帳): docs/register/index.md.
//
// No Python runs until job records are chosen (file inputs, a folder, drag and drop, or the
// button that reopens the records saved in this browser). Then the generator's loader
// (docs/assets/generator/loader.js) starts Pyodide and every rule comes from itaku.web:
// register_load (read, refuse, de-duplicate, tabulate), register_view (another 基準日),
// register_remove, register_xlsx. This file only draws what Python computed, filters and
// sorts rows by values Python gave, and keeps the accepted files for autosave. User and file
// text is written with textContent, never parsed as HTML.
//
// Root: #register[data-state]: idle → loading → ready | error.
(function () {
  "use strict";

  const root = document.getElementById("register");
  if (!root) return;
  const STORAGE_KEY = "itaku-register";
  const HANDOFF_KEY = "itaku-register-handoff";
  const STAGES = { load: [0, 40, "読み込み"], python: [45, 70, "Python 起動"], libraries: [75, 95, "ライブラリ"],
                   ready: [100, 100, "準備完了"] };
  const PHASES = { before: "契約前", after: "契約後", selection: "選定" };
  const BEFORE = { missing: "未受領", before_start: "開始前に受領", after_start: "開始後に受領" };
  const OUTCOMES = { refused: "読み込めません", duplicate: "重複", older: "古い写し", replaced: "置き換え" };
  const $ = (id) => document.getElementById(id);
  const { el, saveBlob } = window.ItakuPage;
  const say = window.ItakuPage.message;

  let view = null;               // the last register view from Python
  let files = new Map();         // answers hash → {name, text}: the accepted job records (autosave)
  let loaded = false;            // Python holds the records of `files`

  const str = (v) => (v === undefined || v === null ? "" : String(v));

  function today() {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  }

  function asOf() {
    return $("itaku-as-of").value || today();
  }

  // ------------------------------------------------------------------ autosave (files, not results)

  // A failed save never deletes the list saved earlier; it is said at once (ItakuPage.autosave), as is
  // another tab of this page saving its own list.
  const autosave = window.ItakuPage.autosave(STORAGE_KEY, $("itaku-storage-note"),
    "このブラウザに業務記録の一覧を保存できませんでした（保存領域が使えないか、いっぱいです）。前に保存した一覧はそのままです。"
    + "このページを閉じると今の台帳は失われるため、「register.xlsx をダウンロード」で台帳を保存し、業務記録ファイル（job.json）はフォルダに保管してください。");
  autosave.onOverwrite = () => store();

  function store() {
    const ok = autosave.write(JSON.stringify({ version: 1, as_of: $("itaku-as-of").value,
                                               files: [...files].map(([job, f]) => [job, f.name, f.text]) }));
    $("itaku-storage-note").classList.toggle("itaku-warn", !ok);
  }

  function restoreSaved() {
    let data = null;
    try {
      data = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      return;
    }
    if (!data || data.version !== 1 || !Array.isArray(data.files)) return;
    if (/^\d{4}-\d{2}-\d{2}$/.test(str(data.as_of))) $("itaku-as-of").value = data.as_of;
    files = new Map(data.files.filter((f) => Array.isArray(f) && f.length === 3).map(([job, name, text]) =>
      [str(job), { name: str(name), text: str(text) }]));
    if (files.size) {
      $("itaku-restore").textContent = `前回読み込んだ業務記録（${files.size} 件）を開く`;
      $("itaku-restore-row").hidden = false;
    }
  }

  // ------------------------------------------------------------------ the Python runtime, on demand

  const runtime = window.ItakuPage.runtimeOnDemand(
    root, "../assets/generator/", STAGES, $("itaku-message"),
    "台帳は作れません（選んだファイルは変更していません）。ページを再読み込みしてから、もう一度選んでください。");
  const ensureClient = runtime.ensure;

  // ------------------------------------------------------------------ loading files

  // Files one after another in one buffer (one transfer to the worker), with [name, size] each.
  function pack(list) {
    const total = list.reduce((n, f) => n + f.bytes.byteLength, 0);
    const blob = new Uint8Array(total);
    let offset = 0;
    for (const f of list) {
      blob.set(new Uint8Array(f.bytes), offset);
      offset += f.bytes.byteLength;
    }
    return { buffer: blob.buffer, meta: list.map((f) => [f.name, f.bytes.byteLength]) };
  }

  // ``merged``: how many of ``list`` are the records saved earlier in this browser (said in the message).
  async function send(list, reset, merged) {
    const py = await ensureClient();
    if (!py) return;
    const { buffer, meta } = pack(list);
    const { value } = await py.call("register_load", [meta, asOf(), Boolean(reset)], buffer);
    if (value.error) { // a refusal from Python (itaku.web.dispatch): said, and the page stays usable
      root.dataset.state = "ready";
      say($("itaku-message"), value.error, true);
      return;
    }
    const decoder = new TextDecoder();
    value.outcomes.forEach((outcome, n) => {
      if (outcome.kind === "added" || outcome.kind === "replaced") {
        files.set(outcome.job || outcome.hash, { name: list[n].name, text: decoder.decode(list[n].bytes) });
      }
    });
    loaded = true;
    root.dataset.state = "ready";
    store();
    showOutcomes(value.outcomes, merged || 0);
    draw(value.view);
  }

  async function addFiles(fileList) {
    const chosen = [...fileList];
    if (!chosen.length) return;
    const list = [];
    for (const file of chosen) list.push({ name: file.webkitRelativePath || file.name, bytes: await file.arrayBuffer() });
    if (!loaded && files.size) {
      // Records saved earlier in this browser go first, so newer copies chosen now replace them.
      const encoder = new TextEncoder();
      const saved = [...files.values()].map((f) => ({ name: f.name, bytes: encoder.encode(f.text).buffer }));
      files = new Map();
      $("itaku-restore-row").hidden = true;
      await send(saved.concat(list), true, saved.length);
    } else {
      await send(list, false);
    }
  }

  async function reopen() {
    const encoder = new TextEncoder();
    const saved = [...files.values()].map((f) => ({ name: f.name, bytes: encoder.encode(f.text).buffer }));
    files = new Map();
    $("itaku-restore-row").hidden = true;
    await send(saved, true);
  }

  function showOutcomes(outcomes, merged) {
    const box = $("itaku-outcomes");
    box.replaceChildren();
    const added = outcomes.filter((o) => o.kind === "added" || o.kind === "replaced").length;
    const problems = outcomes.filter((o) => o.kind !== "added");
    const refused = outcomes.filter((o) => o.kind === "refused").length;
    const chosen = outcomes.length - merged;
    say($("itaku-message"), (merged ? `このブラウザに保存していた業務記録 ${merged} 件に、選んだファイル ${chosen} 件を合わせました。`
                                     + `${outcomes.length} 件のうち ${added} 件を台帳に入れました。`
                                     : `${outcomes.length} 件のファイルのうち ${added} 件を台帳に入れました。`) +
        (refused ? `${refused} 件は読み込めませんでした（下の一覧）。` : ""), false);
    if (!problems.length) return;
    const ul = el("ul", { class: "itaku-outcome-list" });
    for (const o of problems) {
      ul.append(el("li", { "data-outcome": o.kind, class: o.kind === "refused" ? "itaku-error" : "itaku-warn" },
        el("span", { class: "itaku-flag", text: OUTCOMES[o.kind] || o.kind }), " " + str(o.message)));
    }
    box.append(ul);
    if (refused) box.setAttribute("role", "alert");
    else box.removeAttribute("role");
  }

  // Drag and drop: files and whole folders (entries read recursively).
  async function dropped(event) {
    event.preventDefault();
    $("itaku-drop").classList.remove("itaku-dragging");
    const items = [...(event.dataTransfer.items || [])];
    const entries = items.map((item) => (item.webkitGetAsEntry ? item.webkitGetAsEntry() : null));
    if (!entries.some(Boolean)) {
      await addFiles(event.dataTransfer.files);
      return;
    }
    const out = [];
    const walk = async (entry, path) => {
      if (!entry) return;
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        out.push(new File([file], path + file.name));
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        for (;;) {
          const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
          if (!batch.length) break;
          for (const child of batch) await walk(child, path + entry.name + "/");
        }
      }
    };
    for (const entry of entries) await walk(entry, "");
    await addFiles(out);
  }

  // ------------------------------------------------------------------ drawing what Python computed

  function cell(field, ...children) {
    return el("td", { "data-field": field }, ...children);
  }

  function lines(list) {
    const ul = el("ul", { class: "itaku-cell-list" });
    for (const item of list) ul.append(item);
    return ul;
  }

  // Next year's job names last year's (job.json previous_job_id): both rows say so, with the other's period.
  function years(r) {
    const out = [];
    if (r.previous) out.push(el("span", { class: "itaku-sub", "data-previous": r.previous.job,
                                          text: `前の契約：${r.previous.work_name}（${r.previous.start}～${r.previous.end}）` }));
    else if (r.previous_job) out.push(el("span", { class: "itaku-sub", "data-previous": r.previous_job, text: "前の契約：台帳に未読込" }));
    for (const n of r.next || []) out.push(el("span", { class: "itaku-sub", "data-next": n.job,
                                                       text: `次の契約：${n.work_name}（${n.start}～${n.end}）` }));
    return out;
  }

  function rowNode(r) {
    const risks = r.risks.map((k) => el("span", { class: "itaku-risk", "data-risk": k, text: view.risk_labels[k] }));
    const late = r.overdue_checks.map((e) => el("li", { "data-overdue-check": e.kind, class: "itaku-late" },
      `期限超過 ${e.due}：${e.what}（${e.method}）`));
    // The item as the contractor's checklist shows it (No. and text), not its internal id.
    const what = (i) => (i.number ? `No.${i.number} ` : "") + (i.text || i.item);
    const imps = r.improvements.map((i) => el("li", { "data-improvement": i.item, class: i.overdue ? "itaku-late" : null },
      `改善指示 ${what(i)}（${PHASES[i.phase] || i.phase}、${i.role}${i.company ? "：" + i.company : ""}）期限 ${i.due || "未記入"}` +
      (i.overdue ? "（期限超過）" : "")));
    const reo = r.reoutsourcing;
    const corpus = r.corpus;
    const link = el("a", { href: `../checklists/${r.checklist_phase}/index.html?job=${r.job}`, "data-open": r.job,
                           text: `${PHASES[r.checklist_phase]}の確認表を開く` });
    const remove = el("button", { type: "button", class: "itaku-link-button", "data-remove": r.job,
                                  "aria-label": `「${r.work_name}」を台帳から外す`, text: "台帳から外す" });
    const tr = el("tr", { "data-job": r.job, "data-overdue": r.overdue ? "true" : "false", "data-department": r.department,
                          "data-risks": r.risks.join(" "), "data-due": r.next_due ? r.next_due.due : "",
                          "data-end": r.end, "data-name": r.work_name,
                          "data-first": (r.overdue_checks[0] || r.next_due || {}).due || "9999-12-31" },
      cell("department", r.department),
      el("th", { scope: "row", "data-field": "work-name" }, el("span", { class: "itaku-work", text: r.work_name }),
         el("span", { class: "itaku-sub", text: r.contractor ? "受託者：" + r.contractor : "受託者：未定" }),
         ...years(r)),
      cell("contract", el("span", { text: r.contract_type }), el("span", { class: "itaku-sub", text: `${r.start}～${r.end}` })),
      cell("risks", ...(risks.length ? risks : ["—"])),
      cell("last-check", r.last_check ? `${r.last_check.date}（${r.last_check.method}・${PHASES[r.last_check.phase] || r.last_check.phase}）` : "記録なし"),
      el("td", { "data-field": "next-due", "data-due": r.next_due ? r.next_due.due : "" },
         r.next_due ? el("span", { class: "itaku-due-date", text: r.next_due.due }) : "予定なし",
         r.next_due ? el("span", { class: "itaku-sub", text: `${r.next_due.what}（${r.next_due.method}）` }) : ""),
      cell("overdue", late.length || imps.length ? lines([...late, ...imps]) : "なし"),
      cell("reoutsourcing", reo.planned ? `予定あり（${reo.scope}）` + (reo.subcontractors.length
        ? `。確認した再委託先：${reo.subcontractors.join("、")}` : "。再委託先の確認記録なし") : "なし"),
      cell("before-check", BEFORE[r.before_check.state] + (r.before_check.date ? `（${r.before_check.date}）` : "")),
      cell("corpus", corpus.newer ? `新しい版 ${corpus.version}（このサイトは ${view.corpus_version}。サイトの更新を）`
        : corpus.outdated ? `古い版 ${corpus.version}（現在 ${view.corpus_version}）` +
        (corpus.clauses.length ? `。変更された条文：${corpus.clauses.join("、")}` : "。この業務の条文に変更なし") : "最新"),
      cell("end", r.ending_soon ? el("strong", { class: "itaku-soon", text: `あと ${r.days_left} 日：返還・廃棄の証明書を準備` })
        : (r.days_left < 0 ? "終了済み" : `あと ${r.days_left} 日`)),
      cell("actions", link, " ", remove));
    if (r.overdue) tr.classList.add("itaku-row-late");
    return tr;
  }

  function fillSelect(select, options) {
    const keep = select.value;
    select.replaceChildren(el("option", { value: "", text: "すべて" }),
      ...options.map(([value, label]) => el("option", { value, text: label })));
    select.value = options.some(([value]) => value === keep) ? keep : "";
  }

  function draw(v) {
    if (v.error) {
      say($("itaku-message"), v.error, true);
      return;
    }
    view = v;
    const c = v.counts;
    $("itaku-counts").replaceChildren(
      el("p", { text: `基準日 ${v.as_of}（コーパス ${v.corpus_version}）` }),
      el("ul", { class: "itaku-counts" },
        el("li", {}, "業務：", el("span", { "data-count": "jobs", text: String(c.jobs) }), " 件"),
        el("li", {}, "期限超過：", el("span", { "data-count": "overdue", text: String(c.overdue) }), " 件"),
        el("li", {}, "60日以内に契約終了：", el("span", { "data-count": "ending-soon", text: String(c.ending_soon) }), " 件"),
        el("li", {}, "古い版で作った文書：", el("span", { "data-count": "outdated", text: String(c.outdated) }), " 件"),
        el("li", {}, "表示中：", el("span", { "data-count": "shown", text: "0" }), " 件")));
    $("itaku-rows").replaceChildren(...v.rows.map(rowNode));
    fillSelect($("itaku-filter-department"), v.departments.map((d) => [d.department, d.department]));
    fillSelect($("itaku-filter-risk"), Object.entries(v.risk_labels));
    drawDepartments(v);
    drawThree(v);
    applyFilters();
  }

  function headRow(labels) {
    return el("tr", {}, ...labels.map((text) => el("th", { scope: "col", text })));
  }

  function drawDepartments(v) {
    const table = $("itaku-departments");
    const risks = Object.entries(v.risk_labels);
    table.tHead.replaceChildren(headRow(["担当課", "業務", "期限超過", "改善指示", "60日以内に終了", "古い版",
                                         ...risks.map(([, label]) => label)]));
    table.tBodies[0].replaceChildren(...v.departments.map((d) => el("tr", { "data-department-row": d.department },
      el("th", { scope: "row", text: d.department }),
      ...[d.jobs, d.overdue, d.improvements, d.ending_soon, d.outdated, ...risks.map(([k]) => d.risks[k])]
        .map((n) => el("td", { class: "itaku-num", text: String(n) })))));
  }

  function drawThree(v) {
    const table = $("itaku-three");
    const points = Object.entries(v.three_points.labels);
    table.tHead.replaceChildren(
      el("tr", {}, el("th", { scope: "col", rowspan: "2", text: "担当課" }), el("th", { scope: "col", rowspan: "2", text: "業務名" }),
         ...points.map(([, label]) => el("th", { scope: "colgroup", colspan: "2", text: label })),
         el("th", { scope: "col", rowspan: "2", text: "備考" })),
      el("tr", {}, ...points.flatMap(() => [el("th", { scope: "col", text: "契約上の明記" }), el("th", { scope: "col", text: "実際の遵守" })])));
    table.tBodies[0].replaceChildren(...v.rows.map((r) => el("tr", { "data-three": r.job },
      el("td", { text: r.department }), el("th", { scope: "row", text: r.work_name }),
      ...points.flatMap(([p]) => [
        el("td", { class: "itaku-num", "data-point": p + "-written", text: String(r.three_points[p].written) }),
        el("td", { class: "itaku-num", "data-point": p + "-kept", text: String(r.three_points[p].kept) })]),
      el("td", { text: points.map(([p]) => r.three_points[p].note ? `${r.three_points[p].label}：${r.three_points[p].note}` : "")
        .filter(Boolean).join("／") }))));
    const totals = v.three_points.totals;
    table.tFoot.replaceChildren(el("tr", {}, el("th", { scope: "row", colspan: "2", text: `合計（${v.rows.length} 件）` }),
      ...points.flatMap(([p]) => [
        el("td", { class: "itaku-num", "data-total": p + "-written", text: String(totals[p].written) }),
        el("td", { class: "itaku-num", "data-total": p + "-kept", text: String(totals[p].kept) })]),
      el("td", {})));
  }

  // Filter and sort by the values Python computed (data attributes of each row).
  function applyFilters() {
    const body = $("itaku-rows");
    const rows = [...body.children];
    const dept = $("itaku-filter-department").value;
    const risk = $("itaku-filter-risk").value;
    const lateOnly = $("itaku-filter-overdue").checked;
    let shown = 0;
    for (const tr of rows) {
      const visible = (!dept || tr.dataset.department === dept) && (!risk || tr.dataset.risks.split(" ").includes(risk))
        && (!lateOnly || tr.dataset.overdue === "true");
      tr.hidden = !visible;
      if (visible) shown += 1;
    }
    const order = view ? new Map(view.rows.map((r, n) => [r.job, n])) : new Map();
    const by = $("itaku-sort").value;
    const key = {
      department: (tr) => [order.get(tr.dataset.job)],
      due: (tr) => [tr.dataset.due || "9999-12-31", order.get(tr.dataset.job)],
      overdue: (tr) => [tr.dataset.overdue === "true" ? 0 : 1, tr.dataset.first, order.get(tr.dataset.job)],
      end: (tr) => [tr.dataset.end, order.get(tr.dataset.job)],
      name: (tr) => [tr.dataset.name, order.get(tr.dataset.job)],
    }[by] || ((tr) => [order.get(tr.dataset.job)]);
    const cmp = (a, b) => {
      const ka = key(a), kb = key(b);
      for (let i = 0; i < ka.length; i += 1) {
        if (ka[i] < kb[i]) return -1;
        if (ka[i] > kb[i]) return 1;
      }
      return 0;
    };
    body.append(...rows.sort(cmp));
    const count = root.querySelector('[data-count="shown"]');
    if (count) count.textContent = String(shown);
  }

  // ------------------------------------------------------------------ actions

  async function refresh() {
    if (!loaded || !runtime.client) return;
    const { value } = await runtime.client.call("register_view", [asOf()]);
    draw(value);
  }

  async function removeJob(job) {
    files.delete(job);
    store();
    if (!runtime.client) return;
    const { value } = await runtime.client.call("register_remove", [job, asOf()]);
    draw(value);
    say($("itaku-message"), "業務記録を台帳から外しました。", false);
  }

  async function exportXlsx(button) {
    const out = $("itaku-export-result");
    if (!loaded || !files.size) {
      say(out, "先に業務記録ファイル（job.json）を読み込んでください。", true);
      return;
    }
    button.setAttribute("aria-busy", "true");
    try {
      const { value, files: made } = await runtime.client.call("register_xlsx", [asOf()]);
      if (value.error) {
        say(out, value.error, true);
        return;
      }
      saveBlob("register.xlsx", made["register.xlsx"]);
      say(out, `register.xlsx を保存しました（基準日 ${asOf()}、業務 ${view ? view.rows.length : 0} 件）。`, false);
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  // The checklist page opens this job from the handoff (the record's own text), scoped to it.
  function handOff(job) {
    const f = files.get(job);
    if (!f) return;
    try {
      localStorage.setItem(HANDOFF_KEY, JSON.stringify({ job, text: f.text }));
    } catch (error) {
      /* unavailable: the checklist page asks for the file instead */
    }
  }

  async function clearAll() {
    files = new Map();
    view = null;
    autosave.remove();
    $("itaku-restore-row").hidden = true;
    if (runtime.client && loaded) {
      const { value } = await runtime.client.call("register_load", [[], asOf(), true], new ArrayBuffer(0));
      draw(value.view);
    } else {
      $("itaku-rows").replaceChildren();
    }
    $("itaku-outcomes").replaceChildren();
    say($("itaku-message"), "読み込んだ業務記録を消しました。", false);
  }

  function wire() {
    $("itaku-jobs-file").addEventListener("change", async (event) => {
      const input = event.target;
      await addFiles(input.files);
      input.value = "";
    });
    $("itaku-jobs-folder").addEventListener("change", async (event) => {
      const input = event.target;
      await addFiles([...input.files].filter((f) => /\.json$/i.test(f.name)));
      input.value = "";
    });
    const drop = $("itaku-drop");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("itaku-dragging");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("itaku-dragging"));
    drop.addEventListener("drop", dropped);
    $("itaku-restore").addEventListener("click", reopen);
    $("itaku-clear").addEventListener("click", clearAll);
    $("itaku-as-of").addEventListener("change", () => {
      store();
      refresh();
    });
    for (const id of ["itaku-filter-department", "itaku-filter-risk", "itaku-filter-overdue", "itaku-sort"]) {
      $(id).addEventListener("change", applyFilters);
    }
    $("itaku-rows").addEventListener("click", (event) => {
      const remove = event.target.closest("button[data-remove]");
      if (remove) removeJob(remove.dataset.remove);
      const open = event.target.closest("a[data-open]");
      if (open) handOff(open.dataset.open);
    });
    root.querySelector('button[data-output="register.xlsx"]').addEventListener("click", (event) => exportXlsx(event.currentTarget));
    $("itaku-print").addEventListener("click", () => window.print());
  }

  $("itaku-as-of").value = today();
  restoreSaved();
  wire();
  root.dataset.state = "idle";
})();
