"""Cross-document consistency: every document of a job says the same thing, over the whole answer space.

Each property is a function ``prop_*(job, texts)`` that returns the list of
problems it finds, so that one hypothesis run checks them all and a failure
names the property and the offending text.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku import timing
from itaku.answers import validate
from itaku.contents import documents, sheets
from itaku.deviations import adoption_rows
from itaku.document import Article, Heading, Paragraph, Table
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.plan import requirements

from strategies import answers as answer_space

# No shrinking: a job has dozens of documents and shrinking one takes minutes; the failure message names the problem.
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

# ---------------------------------------------------------------- test data

# For each act: phrases that only a text ALLOWING the act contains, the item that checks the ban was kept,
# the item that checks the procedure, and the form that exists exactly when approval is needed.
ACTS: dict[str, dict[str, Any]] = {
    "carry_out": {"allow": ["前項ただし書により資料等を持ち出すとき", "持ち出し、又は送信するときは", "に定める運搬の場合を除き",
                            "持出しのたびに"],
                  "ban": "carry-out-01",
                  "procedure": {"approval": "carry-out-02", "routine": "carry-out-05", "allowed": "transport-05"}},
    "copying": {"allow": ["複写し、又は複製しようとするときは", "複製のたびに"], "ban": "copying-01",
                "procedure": {"approval": "copying-02", "routine": "copying-06"}},
    "reoutsourcing": {"allow": ["再委託をしようとするときは", "事務を再委託するときは", "全部又は一部を再委託することができる"],
                      "ban": "subcontracting-01", "procedure": "subcontracting-02",
                      "form": "reoutsourcing-application.docx"},
    "subreoutsourcing": {"allow": ["その段階ごとに"], "ban": "subcontracting-06", "procedure": "subcontracting-04"},
    "cloud": {"allow": ["クラウドサービス（インターネットその他の電気通信回線を通じて利用する情報処理又は保存のためのサービスをいう。以下同じ。）により個人情報を処理し",
                        "以下「委託元のクラウドサービス」という。"],
              "ban": "security-07", "procedure": {"approval": "cloud-01", "allowed": "cloud-02"}},
    "foreign": {"allow": ["前項の承諾を求めるときは"], "ban": "use-limits-05", "procedure": "foreign-01"},
    "extraction": {"allow": ["試験用の環境に複製しようとするときは"], "ban": "security-08", "procedure": "security-09"},
}
NEVER = ["全部又は一部を再委託することができる"]  # 番号法 article must follow the re-outsourcing decision
CONTRACT_ONLY = ["委託料", "入札参加資格の停止", "指名停止", "この契約", "契約の締結", "履行期間", "受託者"]
SYSTEM_ONLY = ["アクセスログ", "ログイン", "情報システムで個人情報を取り扱う", "電子メールにより個人情報を送る",
               "電子メールで個人情報を送る", "ウェブサイトその他に掲載", "ウェブサイトへの掲載", "ウェブサイトに掲載", "「バックアップ」という",
               "消去用のソフトウェアによる上書き", "操作画面", "サーバその他個人情報を取り扱う機器を設置する室"]
FREE_TEXT = ("work_name", "reoutsourcing_scope", "work_place_detail")  # typed text set inside sentences
ONLY_IN = {"work_place_detail": "work-place"}  # the default_on article that states the answer
CONTRACTOR_SHEET = {"受託者", "再委託先", "指定管理者"}
WORK_NAMES = st.sampled_from(["令和8年度 水道メーター検針業務", "旅券の交付書類の配送。", "「市民」課の（補助）作業：２０２６",
                              "検診データの入力を行う。結果は市が通知する。", "ＡＢＣ健診\u202e入力"])
SCOPES = st.sampled_from(["封入封緘作業のうち機械封入の部分", "宛名ラベルの印字は再委託先が行う。",
                          "コールセンターの夜間受付（一次受付のみ）。折り返しは行わない。", "（仮称）ハードウェア保守"])
PLACES = st.sampled_from(["本庁舎３階 市民課執務室内の指定区画", "受託者の事業所（○○市△△町1-2）。施錠された室。", "「第二」倉庫"])


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


# ---------------------------------------------------------------- text of a job

def texts(job: Job) -> Iterator[tuple[str, str, str]]:
    """(file, kind, text) for every piece of text in every output; kind: p (running text), cell, head, field."""
    for doc in documents(job):
        for b in doc.blocks:
            if isinstance(b, Article):
                yield doc.name, "head", b.number + b.caption
                for c in b.clauses:
                    yield doc.name, "p", c.text
                    for _, t in c.items:
                        yield doc.name, "p", t
            elif isinstance(b, Heading):
                yield doc.name, "head", b.text
            elif isinstance(b, Paragraph):
                yield doc.name, ("field" if "：" in b.text[:8] else "p"), b.text
            elif isinstance(b, Table):
                for row in (b.header,) + b.rows:
                    for cell in row:
                        yield doc.name, "cell", cell
    for sheet in sheets(job):
        for label, value in sheet.meta:
            yield sheet.name, "cell", value
        for t in sheet.instructions:
            yield sheet.name, "p", t
        for r in sheet.rows:
            yield sheet.name, "question", r.question
            for t in (r.group, r.evidence, r.explanation, r.note):
                yield sheet.name, "cell", t
        for r in sheet.excluded:  # 対象外: named so that nothing is dropped silently
            for t in (r.group, r.question, r.evidence, r.explanation, r.note):
                yield sheet.name, "excluded", t


def _corpus_text(job: Job, text: str) -> str:
    """The text without what the user typed (properties about the kit's own wording)."""
    for key in ("work_name", "department", "contractor_name", "reoutsourcing_scope", "work_place_detail"):
        value = job.context.get(key)
        if isinstance(value, str) and value:
            text = text.replace(value, "")
    return text


def spec_text(job: Job) -> str:
    return "\n".join(t for f, k, t in texts(job) if f == "specification.docx")


# ---------------------------------------------------------------- properties

def prop_acts_agree(job: Job, _: list) -> list[str]:
    problems = []
    spec = _corpus_text(job, spec_text(job))
    after = {r.item_id for r in next(s for s in sheets(job) if s.phase == "after").rows}
    names = {d.name for d in documents(job)}
    for phrase in NEVER:
        if phrase in spec:
            problems.append(f"「{phrase}」が特記事項にある")
    for act, data in ACTS.items():
        value = job.context[f"act_{act}"]
        allowing = [p for p in data["allow"] if p in spec]
        if value in ("forbidden", "none") and allowing:
            problems.append(f"{act}={value} なのに特記事項が認めている: {allowing}")
        needs_ban = (act != "subreoutsourcing" or job.context["act_reoutsourcing"] == "approval") and \
            _clause_of(job, data["ban"]) not in job.answers.removed  # removing it is recorded in the 採否一覧
        if value == "forbidden" and needs_ban and data["ban"] not in after:
            problems.append(f"{act}=forbidden なのに禁止を守ったかの確認 {data['ban']} がない")
        if value in ("approval", "routine", "allowed"):
            procedure = data["procedure"] if isinstance(data["procedure"], str) else data["procedure"][value]
            if {_clause_of(job, procedure), _clause_of(job, data["ban"])} & set(job.answers.removed):
                continue  # the user removed the article with a reason (recorded in the 採否一覧)
            if not allowing:
                problems.append(f"{act}={value} なのに手続を定める文言がない")
            if procedure not in after:
                problems.append(f"{act}={value} なのに手続の確認 {procedure} がない")
        if "form" in data and (data["form"] in names) != (value == "approval"):
            problems.append(f"{act}={value} と様式 {data['form']} の有無が一致しない")
    return problems


def _clause_of(job: Job, item_id: str) -> str:
    return job.corpus.item(item_id)["clause"]


def _selected(job: Job) -> set[str]:
    return {s.clause["id"] for s in job.selected}


def prop_designated_wording(job: Job, all_texts: list) -> list[str]:
    problems = []
    if job.is_designated:
        for f, _, t in all_texts:
            for word in CONTRACT_ONLY:
                if word in _corpus_text(job, t):
                    problems.append(f"指定管理の {f} に「{word}」: {t[:60]}")
    else:  # the 採否一覧 and the 対象外 rows name the clauses not adopted, 指定管理 among them
        for f, kind, t in all_texts:
            if f != "deviations.docx" and kind != "excluded" and "指定管理" in _corpus_text(job, t):
                problems.append(f"通常の契約の {f} に「指定管理」: {t[:60]}")
    return problems


def prop_adoption_list_complete(job: Job, _: list) -> list[str]:
    rows = adoption_rows(job)
    titles = [r[0] for r in rows]
    problems = [f"採否一覧に「{c['title']}」がない" for c in job.corpus.clauses if c["title"] not in titles]
    problems += [f"採否一覧の「{r[0]}」に理由がない" for r in rows if not r[3].strip()]
    for cid, reason in job.answers.removed.items():
        row = next(r for r in rows if r[0] == job.corpus.clause(cid)["title"])
        if reason not in row[3]:
            problems.append(f"外した条文「{row[0]}」の理由が採否一覧にない")
    if "deviations.docx" not in {d.name for d in documents(job)}:
        problems.append("deviations.docx（条文の採否一覧）がない")
    return problems


def prop_paper_only(job: Job, all_texts: list) -> list[str]:
    if job.context.get("processing") != "paper":
        return []
    # A destruction job's overwrite allowance is about the media to be destroyed, not about processing the data
    # (clauses/34-media-destruction.md): a paper-processing job may still let the contractor wipe tapes it destroys.
    words = [w for w in SYSTEM_ONLY
             if not (w == "消去用のソフトウェアによる上書き" and "overwrite" in job.context.get("disposal_options", []))]
    return [f"紙だけの業務の {f} に「{w}」: {t[:60]}" for f, kind, t in all_texts
            if f in ("specification.docx", "checklist-before.xlsx", "checklist-after.xlsx")
            and kind in ("p", "question") for w in words if w in _corpus_text(job, t)]


ARTICLE_LIST = re.compile(r"第([0-9０-９]+)条(?:(?:、|及び|又は|から)第([0-9０-９]+)条)+")


def prop_article_numbers(job: Job, all_texts: list) -> list[str]:
    problems = []
    for f, _, t in all_texts:
        if re.search(r"第[０-９]+条", t):
            problems.append(f"{f}: 条番号が全角: {t[:40]}")
        for m in re.finditer(r"第[0-9]+条(?:(?:、|及び|又は|並びに)第[0-9]+条)+", t):
            numbers = [int(n) for n in re.findall(r"第([0-9]+)条", m.group())]
            if numbers != sorted(numbers):
                problems.append(f"{f}: 条番号が昇順でない: {m.group()}")
    return problems


def prop_free_text_quoted(job: Job, all_texts: list) -> list[str]:
    problems = []
    for key in FREE_TEXT:
        value = job.context.get(key)
        if not isinstance(value, str) or not value:
            continue
        if ONLY_IN.get(key) in job.answers.removed:
            continue  # the user removed the one article that states it (the removal is in 条文の採否一覧)
        seen = False
        for f, kind, t in all_texts:
            for m in re.finditer(re.escape(value), t):
                seen = True
                inside = t[max(0, m.start() - 1):m.start()] == "「" and t[m.end():m.end() + 1] == "」"
                whole = kind == "cell" and t == value or kind == "field" and t.endswith("：" + value)
                if not (inside or whole):
                    problems.append(f"{f}: 「{key}」の回答が「」の外にある: {t[:80]}")
        if not seen:
            problems.append(f"「{key}」の回答 {value!r} がどの文書にもそのまま現れない")
    return problems


def prop_plan_windows(job: Job, _: list) -> list[str]:
    problems = []
    start = date.fromisoformat(job.context["contract_start"])
    entries = {e.key: e for e in job.plan}
    for r in requirements(job.context):
        e = entries[r.key]
        if e.earliest < r.earliest:
            problems.append(f"計画 {r.key}: {e.earliest} に開くが {r.rule} は {r.earliest} から")
    for e in job.plan:
        if e.due < e.earliest:
            problems.append(f"計画 {e.key}: 期限 {e.due} が開始 {e.earliest} より前")
    pre = [e for e in job.plan if e.key[0] == "pre"]
    if len(pre) != 1 or pre[0].due > start:
        problems.append(f"契約前の遵守確認表の期限が開始日 {start} より後: {pre}")
    onsite = sorted(e.earliest for e in job.plan if e.method == "実地" and e.key[0] in ("onsite-start", "annual", "attend"))
    if len(onsite) != len(set(onsite)):
        problems.append(f"二つの実地調査が同じ日に開く: {onsite}")
    return problems


def prop_answered_by(job: Job, _: list) -> list[str]:
    problems = []
    for sheet in sheets(job):
        allowed = {"委託元"} if sheet.phase == "selection" else CONTRACTOR_SHEET
        numbers = [r.number for r in sheet.rows]
        if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
            problems.append(f"{sheet.name}: 番号に重複か欠番: {numbers}")
        for r in sheet.rows:
            if r.answered_by not in allowed:
                problems.append(f"{sheet.name}: {r.item_id} の回答者「{r.answered_by}」はこの表の回答者ではない")
    return problems


# Routine acts (issue 25): the words that tie an act to a sentence, and the wordings of a per-occasion approval or
# attendance that a routine act must never get. A sentence with 「その都度」 and 承諾/承認/立会い about the act is
# per-occasion unless it names the routine it leaves out (「通常の手順」).
ROUTINE_WORDS = {"carry_out": ("持出", "持ち出"), "copying": ("複写", "複製"),
                 "transport": ("受渡", "受け渡", "運搬", "移送", "送信")}
OTHER_ACT = ("本番の個人情報",)  # a sentence about the extraction act (always per occasion) is not about these
PER_OCCASION = {"carry_out": ("前項ただし書により資料等を持ち出すとき",),
                "copying": ("複写し、又は複製しようとするときは、あらかじめ",),
                "transport": ("一括して抽出し、又は大量の資料等を移送するときは、あらかじめ",)}
CONSENT = ("承諾", "承認", "立会", "立ち会")


def prop_routine_never_per_occasion(job: Job, all_texts: list) -> list[str]:
    problems = []
    routine = [a for a in ROUTINE_WORDS if job.context.get(f"act_{a}") == "routine"]
    for f, kind, t in all_texts:
        if kind == "excluded" or not routine:
            continue
        for act in routine:
            problems += [f"{act}=routine なのに {f} に都度の手続: {p}" for p in PER_OCCASION[act] if p in t]
            for sentence in t.split("。"):
                if ("その都度" in sentence and "通常の手順" not in sentence and any(w in sentence for w in CONSENT)
                        and not any(w in sentence for w in OTHER_ACT)
                        and any(w in sentence for w in ROUTINE_WORDS[act])):
                    problems.append(f"{act}=routine なのに {f} に「その都度」の承諾・立会い: {sentence[:80]}")
    return problems


# Premises duties (issue 25): only where the contractor controls a place.
PREMISES_DUTIES = ("施錠、入退室の管理", "耐火性の保管庫", "防災の設備", "入退室を記録")


def prop_premises_duties_follow_control(job: Job, all_texts: list) -> list[str]:
    if job.context.get("place_contractor_controlled"):
        return []
    return [f"受託者が管理する場所がないのに {f} に「{w}」: {t[:60]}" for f, kind, t in all_texts
            if kind != "excluded" and f != "deviations.docx" for w in PREMISES_DUTIES if w in _corpus_text(job, t)]


def prop_plan_rows_name_one_place(job: Job, _: list) -> list[str]:
    from itaku.supervision import FIELD, ONSITE_PLACE, plan_rows
    from itaku.wording import quoted, reword
    allowed = {reword(job.corpus, job.context, p.label) for p in job.places} | set(ONSITE_PLACE.values()) | {FIELD}
    allowed |= {quoted(r["place"]) for r in job.context.get("remote_sites") or []}
    if job.context.get("work_place_detail"):
        allowed.add(quoted(job.context["work_place_detail"]))
    if not job.places:
        allowed.add("作業場所")
    # dated work at a place of its own: that place, then what was noted on that day there, quoted
    events = timing.events(job.context)
    labels = {p.id: reword(job.corpus, job.context, p.label) for p in job.places}
    for ev in events:
        if ev.place in labels:
            notes = dict.fromkeys(x.note for x in events if (x.day, x.place) == (ev.day, ev.place) and x.note)
            allowed.add(labels[ev.place] + "".join(quoted(n) for n in notes))
    problems = []
    for when, what, method, _why in plan_rows(job):
        places = re.findall(r"（場所：(.*)）$", what)
        if method != "実地":
            continue
        if len(places) != 1 or places[0] not in allowed:
            problems.append(f"実地の行が一つの場所を名指ししていない: {what[-80:]}")
        elif "データセンター" in places[0]:
            problems.append(f"立ち入れないデータセンターへの実地調査: {what[-80:]}")
    if job.context.get("place_provider_dc") and not any(
            m == "書面" and "データセンター" in w and "監査の報告書" in w for _, w, m, _ in plan_rows(job)):
        problems.append("提供事業者のデータセンターに代わりの確認（監査報告書・認証・記録）の行がない")
    return problems


def prop_changed_meaning_is_stated(job: Job, all_texts: list) -> list[str]:
    """An answer that changes what another answer means says so in the 採否一覧 (配送そのものが業務 + 持出しが必要)."""
    if not (job.context.get("transport_is_job") and job.context.get("carry_out")):
        return []
    stated = any(f == "deviations.docx" and "「持出しが必要」との回答は配送の一部として扱い" in t for f, _, t in all_texts)
    return [] if stated else ["配送が業務であることが持出しの回答の意味を変えたことが採否一覧にない"]


PROPERTIES = (prop_acts_agree, prop_designated_wording, prop_adoption_list_complete, prop_paper_only,
              prop_article_numbers, prop_free_text_quoted, prop_plan_windows, prop_answered_by,
              prop_routine_never_per_occasion, prop_premises_duties_follow_control, prop_plan_rows_name_one_place,
              prop_changed_meaning_is_stated)


def check_job(job: Job) -> list[str]:
    all_texts = list(texts(job))
    return [f"{p.__name__}: {m}" for p in PROPERTIES for m in p(job, all_texts)]


# ---------------------------------------------------------------- the suites

READ_AS_NUMBERS = {"record_counts_by_year"}  # 年度 and counts, read (never set in sentences as typed)


def neutral(model, key, value):
    """Typed texts of list rows replaced by a fixed one, so that they never contain the texts under test."""
    question = next((q for q in model.questions() if q["key"] == key), None)
    if not isinstance(value, list) or not question or question["type"] != "list" or key in READ_AS_NUMBERS:
        return value
    typed = {c["key"] for c in question["columns"] if c["type"] in ("text", "textarea")}
    rows = [{k: "入力例" if k in typed and v else v for k, v in row.items()} for row in value]
    if key == "counterparties":  # names tell the counterparties apart (validation refuses a name twice)
        rows = [{**row, "name": f"入力例{n}"} for n, row in enumerate(rows, start=1)]
    return rows


def test_property_documents_agree_over_the_answer_space(model):
    @SETTINGS
    @given(answer_space(model), WORK_NAMES, SCOPES, PLACES)
    def prop(generated, work_name, scope, place):
        raw, removed = generated
        # Other free texts are fixed so that they never contain the ones under test (hostile texts: test_generate).
        raw = {**raw, "work_name": work_name, "department": "市民部市民課", "contractor_name": "株式会社サンプル"}
        for key, fixed in (("issuer_title", "市民部市民課長"), ("department_contact", "内線 1234"),
                           ("enterprise_manager_title", "水道事業管理者")):  # the letters' names (issue 27.3)
            if key in raw:
                raw[key] = fixed
        raw = {k: neutral(model, k, v) for k, v in raw.items()}
        if raw.get("data_purpose"):
            raw["data_purpose"] = "入力例"
        removed = {cid: "庁舎外で作業しないため。" for cid in removed}
        if raw.get("reoutsourcing") == "planned":
            raw["reoutsourcing_scope"] = scope
        if "work_place_detail" in raw:
            raw["work_place_detail"] = place
        job = build_job(model, validate(model, raw, removed))
        problems = check_job(job)
        assert not problems, "\n".join(problems[:20])
    prop()


# Worked examples with every act switched on (paper jobs that mail, carry out and copy …): corners that a
# random draw reaches rarely.
SWITCHED_ON = {"mailing": True, "carry_out": True, "copying": True, "transport": True, "deliverables": True}


def test_worked_examples_are_consistent(model):
    for example in model.data["examples"]:
        for extra in ({}, SWITCHED_ON):
            job = build_job(model, validate(model, {**example["answers"], **extra}, example.get("removed_clauses")))
            problems = check_job(job)
            assert not problems, f"{example['id']} {extra}:\n" + "\n".join(problems[:20])


# ---------------------------------------------------------------- static corpus properties

STANDALONE = ("これらの", "その規定", "五つの", "前項", "前号", "上記")


def test_after_items_read_on_their_own(model):
    """A 契約後 item is read on its own sheet: no pointer to another sheet's wording."""
    bad = [(i["id"], w) for i in model.items for w in STANDALONE if w in i["after"]]
    assert not bad, bad


def test_wording_uses_the_sheet_status_choices(model):
    """The sheets offer 適合/不適合/該当なし/未確認; no text speaks of 「いいえ」 answers."""
    texts_ = [i[f] for i in model.items for f in ("before", "after", "explanation")]
    for name in ("selection", "self-check"):
        texts_ += [i[f] for i in model.lists(name)["items"] for f in ("text", "explanation")]
    assert not [t for t in texts_ if "「いいえ」" in t]
