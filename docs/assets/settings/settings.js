// The settings page (docs/settings/index.md): writes the site-root edition.js.
//
// Root #settings[data-state]: loading → ready | error. The form (drawn at build time from
// clauses/edition_fields.yml by overrides/hooks/edition_site.py) is filled from the edition
// in force; every change goes to Python (itaku.web.edition_preview), which validates it,
// returns field messages or the file text, its hash and a specification header drawn by the
// same code as the real documents. The download button (data-output="edition.js") saves
// exactly the text Python returned. Nothing here decides whether a value is valid.
(function () {
  "use strict";

  const { el, message, saveBlob } = window.ItakuPage;
  const $ = (id) => document.getElementById(id);
  const root = $("settings");
  let client = null;
  let latest = null;
  let timer = null;
  let counter = 0;
  let generation = 0;

  function progress(stage, fraction) {
    const bar = $("itaku-progress");
    const order = ["load", "python", "libraries"];
    const index = Math.max(0, order.indexOf(stage));
    bar.value = Math.round(((index + (fraction || 0)) / order.length) * 100);
  }

  function fail(text) {
    root.dataset.state = "error";
    $("itaku-loading").hidden = true;
    const node = $("itaku-fatal");
    node.textContent = text;
    node.hidden = false;
  }

  // ------------------------------------------------------------------ local clauses (repeatable groups)

  function field(id, label, control) {
    control.id = id;
    return el("div", { class: "itaku-q" }, el("label", { for: id, text: label }), control);
  }

  function addClause(clause, item) {
    counter += 1;
    const n = counter;
    const group = el("fieldset", { class: "itaku-local-clause", "data-id": clause.id || "" });
    group.append(el("legend", { text: `追加する条 ${n}` }));
    const inclusion = el("select", { name: "inclusion" },
      el("option", { value: "required", text: "常に含める" }),
      el("option", { value: "default_on", text: "既定で含める（業務ごとに理由を記録して外せる）" }));
    inclusion.value = clause.inclusion || "required";
    const input = (name, value) => { const node = el("input", { type: "text", name }); node.value = value || ""; return node; };
    const area = (name, value, rows) => { const node = el("textarea", { name, rows: rows || 3 }); node.value = value || ""; return node; };
    group.append(
      field(`lc-${n}-title`, "見出し", input("title", clause.title)),
      field(`lc-${n}-inclusion`, "含め方", inclusion),
      field(`lc-${n}-text`, "条文", area("text", clause.text, 5)),
      field(`lc-${n}-before`, "契約前の確認事項（任意）", area("before", item && item.before, 2)),
      field(`lc-${n}-after`, "契約後の確認事項（任意）", area("after", item && item.after, 2)),
      field(`lc-${n}-evidence`, "確認する資料（「、」で区切る・任意）",
            input("evidence", item && Array.isArray(item.evidence) ? item.evidence.join("、") : "")));
    const remove = el("button", { type: "button", class: "md-button", text: `追加する条 ${n} を削除する` });
    remove.addEventListener("click", () => { group.remove(); schedule(); });
    group.append(remove);
    $("itaku-local-list").append(group);
  }

  // The 約款's wording of a model paragraph (edition.js ``wording``: {paragraph, text}). The key is picked from
  // (or typed against) the list of every 項・号 (assets/settings/wording.js, built from the clauses); the model
  // text of the chosen key is shown under it and can be copied into the text area as a starting point.
  const CHOICES = new Map((Array.isArray(globalThis.ItakuWordingChoices) ? globalThis.ItakuWordingChoices : [])
    .map((c) => [c.key, c]));

  function fillChoices() {
    const list = $("itaku-wording-keys");
    if (!list) return;
    list.replaceChildren(...[...CHOICES.values()].map((c) => el("option", { value: c.key, label: c.label })));
  }

  function addWording(entry) {
    counter += 1;
    const n = counter;
    const group = el("fieldset", { class: "itaku-local-clause itaku-wording" });
    group.append(el("legend", { text: `置き換える項 ${n}` }));
    const key = el("input", { type: "text", name: "paragraph", list: "itaku-wording-keys", autocomplete: "off",
                              "aria-describedby": `wd-${n}-model itaku-wording-help` });
    key.value = (entry && typeof entry.paragraph === "string") ? entry.paragraph : "";
    const text = el("textarea", { name: "wording-text", rows: 4 });
    text.value = (entry && typeof entry.text === "string") ? entry.text : "";
    const model = el("p", { class: "itaku-help", id: `wd-${n}-model`, "aria-live": "polite", "data-wording-model": "" });
    const copy = el("button", { type: "button", class: "md-button", "data-wording-copy": "",
                                text: "モデルの文言を約款の文言の欄に写す" });
    const show = () => {
      const chosen = CHOICES.get(key.value.trim());
      model.textContent = chosen ? `モデルの文言（${chosen.label}）：${chosen.text}`
        : key.value.trim() ? "この番号の項・号はモデルの条文にありません。一覧から選んでください。" : "";
      copy.disabled = !chosen;
    };
    key.addEventListener("input", show);
    copy.addEventListener("click", () => {
      const chosen = CHOICES.get(key.value.trim());
      if (!chosen) return;
      text.value = chosen.text;
      text.focus();
      schedule();
    });
    group.append(field(`wd-${n}-paragraph`, "置き換える項（一覧から選ぶか、条文id/項の番号を入力）", key), model, copy,
                 field(`wd-${n}-text`, "約款の文言", text));
    show();
    const remove = el("button", { type: "button", class: "md-button", text: `置き換える項 ${n} を削除する` });
    remove.addEventListener("click", () => { group.remove(); schedule(); $("itaku-wording-add").focus(); });
    group.append(remove);
    $("itaku-wording-list").append(group);
    return group;
  }

  // ------------------------------------------------------------------ form ⇄ edition object

  function collect() {
    const raw = {};
    for (const node of $("itaku-edition-form").querySelectorAll(".itaku-q[data-key] [name]")) {
      const value = node.value.trim();
      if (value) raw[node.name] = value;
    }
    const clauses = [];
    const items = [];
    let n = 0;
    for (const group of $("itaku-local-list").querySelectorAll(".itaku-local-clause")) {
      n += 1;
      const get = (name) => group.querySelector(`[name="${name}"]`).value.trim();
      const id = group.dataset.id || `local-${n}`;
      clauses.push({ id, title: get("title"), inclusion: get("inclusion"), text: get("text") });
      if (get("before") || get("after")) {
        items.push({ id: `${id}-01`, clause: id, before: get("before"), after: get("after"),
                     evidence: get("evidence").split(/[、,]/).map((s) => s.trim()).filter(Boolean),
                     answered_by: "受託者" });
      }
    }
    if (clauses.length) raw.clauses = clauses;
    if (items.length) raw.items = items;
    const wording = [...$("itaku-wording-list").querySelectorAll(".itaku-wording")].map((group) => ({
      paragraph: group.querySelector('[name="paragraph"]').value.trim(),
      text: group.querySelector('[name="wording-text"]').value.trim(),
    })).filter((w) => w.paragraph || w.text);
    if (wording.length) raw.wording = wording;
    return raw;
  }

  function fill(raw) {
    for (const node of $("itaku-edition-form").querySelectorAll(".itaku-q[data-key] [name]")) {
      const value = raw[node.name];
      node.value = typeof value === "string" ? value : "";
    }
    $("itaku-local-list").replaceChildren();
    const items = Array.isArray(raw.items) ? raw.items : [];
    for (const clause of Array.isArray(raw.clauses) ? raw.clauses : []) {
      if (clause && typeof clause === "object") addClause(clause, items.find((i) => i && i.clause === clause.id));
    }
    $("itaku-wording-list").replaceChildren();
    for (const entry of Array.isArray(raw.wording) ? raw.wording : []) {
      if (entry && typeof entry === "object") addWording(entry);
    }
  }

  function current(summary) {
    const out = $("itaku-edition-current");
    out.replaceChildren();
    const local = window.ItakuEdition.status().local;
    const source = summary.source === "builtin" ? "組み込みの版（配布時の設定）"
      : local ? `このブラウザだけで使っている設定（${local.file || "edition.js"}）` : "サイトのフォルダの edition.js";
    out.append(el("p", { "data-edition-source": summary.source,
                         text: `${summary.name}（${summary.org_type_label}・長の職名 ${summary.head_title}）：${source}、設定の版 ${summary.short_hash}` }));
    if (summary.local_clauses.length) {
      out.append(el("p", { text: `団体が追加した条文 ${summary.local_clauses.length} 条、確認項目 ${summary.local_items.length} 項目` }));
    }
    if ((summary.wording || []).length) {
      out.append(el("p", { text: `団体の約款の文言に置き換えた項 ${summary.wording.length} か所（${summary.wording.join("、")}）` }));
    }
    if (summary.message) message(out.appendChild(el("div")), summary.message, true);
  }

  // ------------------------------------------------------------------ preview and download

  function schedule() {
    latest = null;
    generation += 1; // a check already on its way is for an older form: its answer is dropped
    $("itaku-edition-download").setAttribute("aria-disabled", "true");
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  async function refresh() {
    const raw = collect();
    const seq = ++generation;
    const { value } = await client.call("edition_preview", [raw]);
    if (seq !== generation) return; // a newer check is on its way
    const errors = $("itaku-edition-errors");
    errors.replaceChildren();
    if (!value.valid) {
      errors.append(el("p", { class: "itaku-error", role: "alert", text: "設定に誤りがあります。直すとダウンロードできます。" }));
      const list = el("ul", { class: "itaku-error-list" });
      for (const text of value.errors) list.append(el("li", { text }));
      errors.append(list);
      $("itaku-edition-preview").replaceChildren();
      $("itaku-edition-hash").textContent = "";
      $("itaku-edition-download").setAttribute("aria-disabled", "true");
      latest = null;
      root.dataset.valid = "false";
      return;
    }
    latest = value;
    // Python escaped every value of the preview (itaku.render.html); it is shown as it came.
    $("itaku-edition-preview").innerHTML = value.preview;
    $("itaku-edition-hash").textContent = `この設定の版：${value.edition.short_hash}（置いた後、各ページの下端に同じ8桁が出ます）`;
    $("itaku-edition-download").setAttribute("aria-disabled", "false");
    root.dataset.valid = "true";
    root.dataset.hash = value.edition.hash;
  }

  async function download() {
    const out = $("itaku-edition-download-message");
    if (!latest) {  // a change still waiting for its check: check now, then save
      clearTimeout(timer);
      await refresh();
    }
    if (!latest) {
      message(out, "設定に誤りがあるか、確認中です。上の表示を確かめてください。", true);
      return;
    }
    saveBlob("edition.js", new TextEncoder().encode(latest.text).buffer);
    message(out, "edition.js を保存しました。サイトのフォルダの edition.js と置き換え、ページを開き直してください。", false);
  }

  // Who keeps the site's edition.js (its 担当課 and 連絡先, if the site's file names them), and an edition
  // file loaded into this browser only, checked by Python before it is kept (ItakuEdition.setLocal).
  function maintainer() {
    const site = (window.ItakuEdition.status().site || {}).value || {};
    const who = [site.privacy_section, site.contact].filter((v) => typeof v === "string" && v.trim()).join("、");
    if (who) $("itaku-edition-maintainer").textContent = `このサイトの団体の設定（edition.js）は、${who} が管理しています。`;
  }

  async function useLocal(input) {
    const out = $("itaku-local-edition-message");
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    const value = window.ItakuEdition.parseFile(await file.text());
    if (!value) {
      message(out, `${file.name} は団体の設定ファイルとして読めません。このページでダウンロードした edition.js を選んでください。`, true);
      return;
    }
    const { value: checked } = await client.call("edition_preview", [value]);
    if (!checked.valid) {
      message(out, `${file.name} の設定に誤りがあるため使えません。` + checked.errors.join(" "), true);
      return;
    }
    const failed = window.ItakuEdition.setLocal(value, file.name);
    if (failed) {
      message(out, failed, true);
      return;
    }
    message(out, `${file.name}（${value.org_name || "団体名なし"}）をこのブラウザで使います。ページを開き直しています…`, false);
    location.reload();
  }

  async function main() {
    try {
      client = await window.ItakuPage.startRuntime("../assets/generator/", progress);
    } catch (error) {
      fail(error.message);
      return;
    }
    const summary = client.edition;
    fillChoices();
    current(summary);
    fill(summary.raw || {});
    const form = $("itaku-edition-form");
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    form.addEventListener("submit", (event) => event.preventDefault());
    $("itaku-local-add").addEventListener("click", () => { addClause({}, null); schedule(); });
    $("itaku-wording-add").addEventListener("click", () => {
      addWording(null).querySelector('[name="paragraph"]').focus();
      schedule();
    });
    $("itaku-edition-download").addEventListener("click", download);
    $("itaku-local-edition-file").addEventListener("change", (event) => useLocal(event.target));
    maintainer();
    await refresh();
    $("itaku-loading").hidden = true;
    root.dataset.state = "ready";
  }

  main();
})();
