// The generator page's 「条文の文言を変える」 (issue 30.2): the job's reworded paragraphs, one entry per 項/号
// with its new text and the reason, kept in answers.json as `reworded_paragraphs` (beside removed_clauses).
//
// Python (itaku.web.state) lists the job's paragraphs (`paragraphs`: key, label 第N条第M項, title, model)
// and says which rewordings the documents cannot use (`reword_notes`); it validates the texts and sends
// errors as `reworded:<key>`. This file only draws the controls and reads them back: every text is
// written with textContent, never as HTML. A rewording whose paragraph is not in the current job (or no
// longer in the kit) stays in the list, marked, and is saved as it is.
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const slug = (key) => key.replace(/\//g, "_").replace(/@/g, ".");

  function create(el) {
    let paragraphs = new Map(); // key → {label, title, model, source} of the current job
    const info = new Map(); // key → what was shown when the entry was made (kept when the job changes)
    const list = $("itaku-reword-list");
    const select = $("itaku-reword-select");

    function entryFor(key) {
      return list.querySelector(`[data-reword="${CSS.escape(key)}"]`);
    }

    function describe(key) {
      const p = paragraphs.get(key) || info.get(key);
      return p ? `${p.label}（${p.title}）` : `項「${key}」`;
    }

    function addEntry(key, text, reason) {
      const id = slug(key);
      const p = paragraphs.get(key) || info.get(key) || null;
      if (p) info.set(key, p);
      const heading = el("p", { class: "itaku-reword-title", id: `reword-title-${id}` }, el("strong"));
      const status = el("p", { class: "itaku-note", id: `reword-where-${id}`, "data-reword-status": "" });
      const model = el("details", { class: "itaku-reword-model" },
        el("summary", { text: p && p.source === "edition" ? "団体の約款の文言（変更前）" : "モデルの文言（変更前）" }),
        el("p", { "data-reword-model": "", text: p ? p.model : "（この業務の特記事項にない項です）" }));
      const entry = el("div", { class: "itaku-reword-entry", "data-reword": key, role: "group",
                                "aria-labelledby": `reword-title-${id}` },
        heading, status, model,
        el("div", { class: "itaku-q itaku-reason" },
          el("label", { for: `reword-text-${id}`, "data-reword-label": "の変更後の文言" }),
          el("textarea", { id: `reword-text-${id}`, "data-reword-text": key, rows: 4,
                           "aria-describedby": `err-reworded-${id}`, "aria-required": "true" }),
          el("p", { class: "itaku-field-error", id: `err-reworded-${id}`, hidden: true })),
        el("div", { class: "itaku-q itaku-reason" },
          el("label", { for: `reword-reason-${id}` }, el("span", { "data-reword-label": "の文言を変える理由 " }),
             el("span", { class: "itaku-required", text: "必須" })),
          el("textarea", { id: `reword-reason-${id}`, "data-reword-reason": key, rows: 2,
                           "aria-describedby": `err-reworded-reason-${id}`, "aria-required": "true" }),
          el("p", { class: "itaku-field-error", id: `err-reworded-reason-${id}`, hidden: true })),
        el("button", { type: "button", class: "md-button", "data-reword-remove": key, "data-reword-label": "をモデルの文言に戻す" }));
      entry.querySelector("[data-reword-text]").value = text;
      relabel(entry);
      entry.querySelector("[data-reword-reason]").value = reason;
      list.append(entry);
      return entry;
    }

    // The labels name the paragraph as the current job numbers it (第6条第1項（秘密の保持）).
    function relabel(entry) {
      const name = describe(entry.dataset.reword);
      entry.querySelector(".itaku-reword-title strong").textContent = name;
      for (const node of entry.querySelectorAll("[data-reword-label]")) node.textContent = name + node.dataset.rewordLabel;
    }

    function collect() {
      const out = {};
      for (const entry of list.querySelectorAll("[data-reword]")) {
        out[entry.dataset.reword] = { text: entry.querySelector("[data-reword-text]").value,
                                      reason: entry.querySelector("[data-reword-reason]").value };
      }
      return out;
    }

    function apply(reworded) {
      list.replaceChildren();
      const given = reworded && typeof reworded === "object" ? reworded : {};
      for (const [key, value] of Object.entries(given)) {
        const v = value && typeof value === "object" ? value : {};
        addEntry(key, typeof v.text === "string" ? v.text : "", typeof v.reason === "string" ? v.reason : "");
      }
      markPlaces();
    }

    // A paragraph of the current job is offered in the select; an entry says whether the job uses it.
    function update(state) {
      if (state.valid && Array.isArray(state.paragraphs)) {
        paragraphs = new Map(state.paragraphs.map((p) => [p.key, p]));
        const chosen = select.value;
        const taken = collect();
        const options = [el("option", { value: "", text: "（項・号を選んでください）" })];
        for (const p of state.paragraphs) {
          if (Object.prototype.hasOwnProperty.call(taken, p.key)) continue;
          const mark = p.source === "edition" ? "［団体の約款］" : "";
          options.push(el("option", { value: p.key, text: `${p.label}（${p.title}）${mark} ${p.model.slice(0, 40)}…` }));
        }
        select.replaceChildren(...options);
        if (paragraphs.has(chosen)) select.value = chosen;
        for (const entry of list.querySelectorAll("[data-reword]")) {
          const p = paragraphs.get(entry.dataset.reword);
          if (p) {
            info.set(entry.dataset.reword, p);
            entry.querySelector("[data-reword-model]").textContent = p.model;
            relabel(entry);
          }
        }
        markPlaces();
      }
      const notes = $("itaku-reword-notes");
      notes.replaceChildren(...(state.reword_notes || []).map((text) => el("p", { class: "itaku-error", text })));
    }

    function markPlaces() {
      for (const entry of list.querySelectorAll("[data-reword]")) {
        const used = paragraphs.has(entry.dataset.reword);
        entry.dataset.used = used ? "true" : "false";
        entry.querySelector("[data-reword-status]").textContent = used || !paragraphs.size ? ""
          : "この項・号は今の回答の特記事項にないため、文書には使いません（変更は回答ファイルに残ります）。";
      }
    }

    function showErrors(errors, showError) {
      for (const entry of list.querySelectorAll("[data-reword]")) {
        const key = entry.dataset.reword;
        showError("reworded-" + slug(key), "reword-text-" + slug(key), errors["reworded:" + key]);
        showError("reworded-reason-" + slug(key), "reword-reason-" + slug(key), errors["reworded-reason:" + key]);
      }
    }

    // Returns the element to focus after adding, or null.
    function add(key) {
      if (!key || entryFor(key)) return entryFor(key);
      const p = paragraphs.get(key);
      const entry = addEntry(key, p ? p.model : "", "");
      for (const option of select.options) if (option.value === key) option.remove();
      select.value = "";
      return entry;
    }

    function remove(key) {
      const entry = entryFor(key);
      if (entry) entry.remove();
    }

    return { collect, apply, update, showErrors, add, remove,
             target: (key) => "reword-text-" + slug(key), reasonTarget: (key) => "reword-reason-" + slug(key) };
  }

  window.ItakuReword = { create };
})();
