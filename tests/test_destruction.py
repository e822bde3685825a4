"""Destruction of records and media as the work itself (issue 26 item 1): the kind disposal with its media named
gets its own article (no reading, method per medium, the media ledger, witnessed sessions, a certificate per
medium, a completion inspection inside the contract period, no reuse), items, forms, plan rows and a section of
条文の採否一覧; a destruction-only job has no system, backup, e-mail, web or printing duty, with the reasons
recorded. Over the worked example and the answer space, each property shown to fail on a planted fault."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st

from itaku.answers import answers_hash, flagged_questions, migrate, validate
from itaku.checklists import checklist_rows
from itaku.contents import documents
from itaku.deviations import deviations
from itaku.job import Job
from itaku.model import Corpus
from itaku.supervision import plan_rows
from itaku.wording import reword

from strategies import answers as answer_space, holds_over_answer_space, job_of, spec_texts, text_of

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

# Phrases only a duty of the kinds a destruction-only job leaves out contains (kinds.yml disposal `left_out`).
LEFT_OUT = {
    "情報システム": ("アクセス制御のため", "識別符号を付与し", "多要素認証", "アクセス記録を分析", "アクセス記録」という", "不正プログラム対策",
                "情報システムの設定及び操作画面", "情報システムで個人情報を取り扱うときは", "情報システムの管理及び運用"),
    "バックアップ": ("予備の複製", "バックアップを作成"),
    "電子メール": ("電子メールにより個人情報を送る", "電子メールを送る", "電子メールを配信", "試験配信"),
    "ウェブ": ("ウェブサイトその他に掲載", "ウェブサイトに掲載", "掲載の前に"),
    "印刷": ("試し刷り", "印刷及び封入封緘", "封入をした者", "数量照合表"),
}
# What every destruction job's specification says (the article, per medium and always).
ALWAYS = ("記録された情報を読み取ることなく", "媒体の管理台帳", "製造番号（シリアル番号）", "廃棄・消去証明書（媒体ごとの明細",
          "立ち会った者", "完了の検査", "検査調書", "職員の立会いの下で行う")
PER_MEDIUM = {"paper": "溶解し", "hdd": "記録面（円盤）", "ssd": "記憶素子（チップ）のすべてを破砕",
              "tape": "テープ又は記録面を裁断", "optical": "光ディスクは"}
SSD_RULE = "消磁によって処理してはならない"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == "media-disposal")["answers"])





def docs(job: Job) -> dict[str, Any]:
    return {d.name: d for d in documents(job)}


# ---------------------------------------------------------------- properties

def prop_destruction_content(job: Job) -> list[str]:
    """A destruction job has the article with each chosen medium's method, the items, the completion inspection
    inside the contract period, the forms and the 採否一覧's section; an SSD is never degaussed."""
    v = job.context
    texts = spec_texts(job)
    spec = "\n".join(t for _, t in texts)
    problems = [f"{cid}: 消磁を磁気的な破壊と並べて認めている: {t[:50]}" for cid, t in texts if "又は磁気的な破壊" in t]
    if not v.get("destruction_job"):
        return problems + (["廃棄の業務でないのに記録媒体等の廃棄処理の条がある"]
                           if any(s.clause["id"] == "media-destruction" for s in job.selected) else [])
    problems += [f"特記事項に「{w}」がない" for w in ALWAYS if w not in spec]
    problems += [f"{m} の処理の方法がない" for m in v["disposal_media"] if PER_MEDIUM[m] not in spec]
    problems += [f"選んでいない {m} の処理の方法がある" for m in PER_MEDIUM
                 if m not in v["disposal_media"] and PER_MEDIUM[m] in spec]
    if "ssd" in v["disposal_media"] and SSD_RULE not in spec:
        problems.append("SSD を選んだのに、消磁による処理の禁止がない")
    for phase in ("before", "after"):
        ids = {r.item_id for r in checklist_rows(job, phase)}
        problems += [f"遵守確認表（{phase}）に {i} がない" for i in ("media-destruction-02", "media-destruction-03",
                                                                  "media-destruction-05") if i not in ids]
    end = date.fromisoformat(v["contract_end"])
    final = [e for e in job.plan if e.key[0] == "end"]
    if not final or final[0].due > end or "完了の検査" not in final[0].what or final[0].method != "実地":
        problems.append(f"完了の検査が契約期間内の実地の行にない: {[(e.what[:20], e.due) for e in final]}")
    if any("廃棄対象物の処理" in e.what and e.method == "実地" for e in job.plan) is False:
        problems.append("処理への立会いの行がない")
    all_docs = docs(job)
    forms = text_of(all_docs["forms.docx"])
    for title in ("媒体の管理台帳（廃棄対象物）", "廃棄・消去証明書（媒体ごとの明細）"):
        if title not in forms:
            problems.append(f"様式集に「{title}」がない")
    if "検査調書（記録媒体等の廃棄の完了）" not in text_of(all_docs["inspection.docx"]):
        problems.append("検査調書（記録媒体等の廃棄の完了）がない")
    listed = text_of(deviations(job))
    if "記録・媒体の廃棄の業務" not in listed:
        problems.append("条文の採否一覧に廃棄の業務の節がない")
    assumed = "最も秘匿性の高い" in spec and f"{v['record_count']:,}人" in spec and "仮定し" in listed
    if v.get("disposal_contents_known") == assumed:
        problems.append(f"内容が分かる（{v.get('disposal_contents_known')}）のに、仮定の記載が{'ある' if assumed else 'ない'}")
    outside = "contractor_premises" in (v.get("work_places") or [])
    if ("「受渡しの経過の記録」という" in spec) != outside or ("移動式の破砕装置" in spec) == outside:
        problems.append("廃棄対象物を庁舎の外へ運ぶかどうかが作業場所の回答と合わない")
    reuse = {"reuse", "overwrite"} <= set(v.get("disposal_options") or [])
    if ("再使用し、売却し、又は譲渡してはならない" in spec) is False or ("再使用し、又は売却することができる" in spec) != reuse:
        problems.append("再使用・売却の扱いが回答と合わない")
    return problems


def prop_destruction_only_has_no_data_duties(job: Job) -> list[str]:
    """A destruction-only job: no system, backup, e-mail, web or printing duty in the specification, the checklists
    or the plan; each left-out duty and the articles left out for it are in 条文の採否一覧 with why."""
    if not job.context.get("destruction_only"):
        return []
    problems = [f"{cid} に{duty}の義務「{w}」: {t[:50]}"
                for cid, t in spec_texts(job) for duty, words in LEFT_OUT.items() for w in words if w in t]
    for phase in ("before", "after"):
        for r in checklist_rows(job, phase):
            problems += [f"遵守確認表（{phase}）{r.item_id} に{duty}の確認「{w}」"
                         for duty, words in LEFT_OUT.items() for w in words if w in r.question]
    problems += [f"監督計画に{duty}の確認「{w}」" for _, what, _, _ in plan_rows(job)
                 for duty, words in LEFT_OUT.items() for w in words if w in what]
    ids = {s.clause["id"] for s in job.selected}
    problems += [f"{cid} が採用されている" for cid in ("security", "privileged-access") if cid in ids]
    listed = text_of(deviations(job))
    kind = next(k for k in job.corpus.data["kinds"]["kinds"] if k.get("destruction"))
    for d in kind["left_out"]:
        if reword(job.corpus, job.context, d["duty"]) not in listed or reword(job.corpus, job.context, d["why"]) not in listed:
            problems.append(f"条文の採否一覧に置かない義務「{d['duty'][:20]}」とその理由がない")
    if listed.count("記録・媒体の廃棄だけの業務のため、含めていません") < 2:
        problems.append("情報システムの条を含めない理由が採否一覧の条文の行にない")
    return problems


PROPERTIES = (prop_destruction_content, prop_destruction_only_has_no_data_duties)


def all_problems(job: Job) -> list[str]:
    return [p for prop in PROPERTIES for p in prop(job)]


@st.composite
def destruction_answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """The answer space with the kind disposal chosen (alone, with delivery, or with a kind that reads the data) and
    the media named: every destruction job the questionnaire can describe."""
    raw, removed = draw(answer_space(corpus))
    raw["work_kinds"] = list(draw(st.sampled_from([("disposal",), ("disposal",), ("delivery", "disposal"),
                                                   ("data_entry", "disposal"), ("disposal", "print_mail")])))
    raw["disposal_media"] = draw(st.lists(st.sampled_from(list(PER_MEDIUM)), min_size=1, unique=True))
    return raw, removed


# ---------------------------------------------------------------- the worked example

def test_the_worked_example_has_the_destruction_content(model):
    job = job_of(model, example(model))
    assert job.context["destruction_job"] and job.context["destruction_only"]
    assert all_problems(job) == []
    spec = "\n".join(t for _, t in spec_texts(job))
    assert SSD_RULE in spec and "消磁のみをもって処理を終えたものとしてはならない" in spec
    before = {r.item_id for r in checklist_rows(job, "before")}
    assert {"media-destruction-01", "media-destruction-03", "media-destruction-05", "media-destruction-08",
            "media-destruction-10"} <= before
    assert "media-destruction-07" not in before  # the example ships to the contractor's plant
    after = {r.item_id: r.answered_by for r in checklist_rows(job, "after")}
    assert "media-destruction-06" not in after  # the completion inspection is the authority's own (the plan's row)
    end = next(e for e in job.plan if e.key[0] == "end")
    assert end.due == date.fromisoformat(job.context["contract_end"]) and "検査調書" in end.what
    sessions = [e for e in job.plan if e.key[0] == "attend"]
    assert len(sessions) == 3 and all(e.earliest == e.due and "media-destruction" in e.clauses for e in sessions)
    assert "media-destruction" in next(e for e in job.plan if e.key[0] == "witness").clauses


def test_the_questions_a_destruction_only_job_does_not_ask(model):
    """取扱いの形態 and 発送・送信・掲載 are not asked (their answers would bring the left-out duties back)."""
    raw = example(model) | {"processing": "both", "mailing": True, "mailing_methods": ["email", "web", "print"]}
    job = job_of(model, raw)
    assert "processing" not in job.answers.values and "mailing" not in job.answers.values
    assert job.acts["mailing"].value == "none" and "廃棄だけの業務" in job.acts["mailing"].reason
    assert prop_destruction_only_has_no_data_duties(job) == []


def test_with_a_kind_that_reads_the_data_the_duties_stay(model):
    raw = example(model) | {"work_kinds": ["data_entry", "disposal"], "processing": "both"}
    job = job_of(model, raw)
    assert job.context["destruction_job"] and not job.context["destruction_only"]
    ids = {s.clause["id"] for s in job.selected}
    assert {"security", "media-destruction"} <= ids
    assert prop_destruction_content(job) == []


def test_options_and_place_change_the_text(model):
    raw = example(model) | {"disposal_options": ["overwrite", "reuse"], "work_places": ["our_premises"],
                            "disposal_contents_known": True, "disposal_media": ["ssd", "optical"]}
    job = job_of(model, raw)
    spec = "\n".join(t for _, t in spec_texts(job))
    assert "移動式の破砕装置" in spec and "「受渡しの経過の記録」という" not in spec
    assert "上書き又は媒体が備える消去の機能" in spec and "再使用し、又は売却することができる" in spec
    assert "最も秘匿性の高い" not in spec and "溶解し" not in spec and SSD_RULE in spec
    assert all_problems(job) == []


def test_no_media_no_destruction_article(model):
    """Without the media named (a file of schema 4), the job keeps the documents it had."""
    raw = example(model) | {"disposal_media": []}
    job = job_of(model, raw)
    assert not job.context["destruction_job"]
    assert "media-destruction" not in {s.clause["id"] for s in job.selected}
    assert "processing" in job.answers.values


# ---------------------------------------------------------------- schema-4 files saved before the destruction questions

def test_schema_4_files_migrate_to_the_same_documents(model):
    assert model.data["questions"]["schema_version"] == 4  # one version per round (issue 25)
    old = example(model)
    for key in ("disposal_media", "disposal_contents_known", "disposal_options"):
        old.pop(key, None)
    old["processing"] = "both"
    migrated = migrate(model, old, 4)
    assert migrated == old  # nothing converted: absent media mean none (no kind presets them)
    job = job_of(model, migrated)
    assert not job.context["destruction_job"] and job.answers.values["processing"] == "both"
    assert answers_hash(job.answers) == answers_hash(validate(model, old, {}))  # same stamp, same register key
    assert "disposal_media" not in flagged_questions(model, 4)  # an optional question of the same version
    assert flagged_questions(model, 3)["disposal_media"].startswith("廃棄する記録媒体の種類（新しい質問）")
    # a job of another kind: the new question is hidden, so its answers (and their hash) are those of schema 4
    other = copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"])
    assert validate(model, migrate(model, other, 4), {}).values == validate(model, other, {}).values


# ---------------------------------------------------------------- over the answer space

def test_destruction_jobs_over_the_answer_space(model):
    holds_over_answer_space(model, all_problems, SETTINGS, destruction_answers(model))


# ---------------------------------------------------------------- planted faults

def test_a_planted_fault_asking_the_form_of_processing_is_found(model):
    """If 取扱いの形態 were asked in a destruction-only job, the system and backup duties would come back."""
    data = copy.deepcopy(model.data)
    for step in data["questions"]["steps"]:
        for q in step["questions"]:
            if q["key"] == "processing":
                q.pop("show_when")
    job = job_of(Corpus(data), example(model) | {"processing": "both"})
    found = prop_destruction_only_has_no_data_duties(job)
    assert any("バックアップ" in p for p in found) and any("情報システム" in p for p in found), found


def test_a_planted_fault_degaussing_an_ssd_is_found(model):
    data = copy.deepcopy(model.data)
    clause = next(c for c in data["clauses"] if c["id"] == "media-destruction")
    for p in clause["texts"][""]:
        p["items"] = [t.replace(SSD_RULE, "消磁によって処理することができる") for t in p["items"]]
    job = job_of(Corpus(data), example(model))
    assert "SSD を選んだのに、消磁による処理の禁止がない" in prop_destruction_content(job)


def test_a_planted_fault_inspecting_after_the_contract_is_found(model, monkeypatch):
    from itaku import plan

    monkeypatch.setattr(plan, "DESTRUCTION_CLOSING_DAYS", -14)  # the window would open after the contract's end
    job = job_of(model, example(model))
    assert any("完了の検査が契約期間内" in p for p in prop_destruction_content(job))
