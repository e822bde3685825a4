"""Sendable as generated (issue 27): no internal note in what goes to the contractor, the internal approval
filled from the answers, signatories that read as titles."""
from __future__ import annotations

import re
from typing import Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku import edition as editions
from itaku.answers import validate
from itaku.contents import documents, sheets
from itaku.job import Job, build_job
from itaku.model import Corpus

from strategies import answers as answer_space
from test_consistency import texts

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.generate], database=None)

# What goes to the contractor (or to bidders): the specification, the three checklists, the forms, the
# notices, the approvals and the re-outsourcing application and approval.
OUTGOING = ("specification.docx", "checklist-before.xlsx", "checklist-after.xlsx", "checklist-selection.xlsx",
            "forms.docx", "notices.docx", "approvals.docx", "reoutsourcing-application.docx",
            "reoutsourcing-approval.docx")
# The kit's notes to the department: never in an outgoing document.
INTERNAL_NOTES = ("本キットでは", "本キットの", "このキットでは", "確かめてください", "（未回答）", "委託先個人情報管理キット",
                  "質問票で", "今の回答", "記録した理由", "回答されたため", "と回答した")  # the questionnaire is the department's
PLACEHOLDER_NAME = "○○"  # the built-in edition's ○○市 is a placeholder by design; a real edition has none
REAL = {"org_name": "△△市", "org_type": "city", "ordinance": "△△市個人情報の保護に関する法律施行条例",
        "rules": "△△市保有個人情報等安全管理規程", "privacy_section": "総務部総務課", "contact": "内線 1234"}


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


@pytest.fixture(scope="module")
def real(model) -> Corpus:
    return editions.apply(model, REAL)


def _typed(job: Job) -> list[str]:
    """Text the user typed (it may contain anything; the property is about the kit's own words)."""
    out = []
    for value in job.context.values():
        if isinstance(value, str) and value:
            out.append(value)
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    out += [str(v) for v in row.values() if isinstance(v, str) and v]
    out += [str(r) for r in job.answers.removed.values()]
    return sorted(set(out), key=len, reverse=True)


def outgoing_texts(job: Job) -> Iterator[tuple[str, str]]:
    for name, _, text in texts(job):
        if name in OUTGOING:
            yield name, text
    for doc in documents(job):  # the documents' own titles and footers too
        if doc.name in OUTGOING:
            yield doc.name, doc.title


def internal_notes(job: Job, real_edition: bool) -> list[str]:
    typed = _typed(job)
    found = []
    for name, text in outgoing_texts(job):
        for value in typed:
            text = text.replace(value, "")
        for phrase in INTERNAL_NOTES + ((PLACEHOLDER_NAME,) if real_edition else ()):
            if phrase in text:
                found.append(f"{name}: 「{phrase}」: {text[:80]}")
    return found


@pytest.mark.parametrize("real_edition", [False, True])
@given(data=st.data())
@SETTINGS
def test_no_internal_note_in_outgoing_documents(model, real, real_edition, data):
    corpus = real if real_edition else model
    raw, removed = data.draw(answer_space(corpus))
    job = build_job(corpus, validate(corpus, raw, removed))
    assert internal_notes(job, real_edition) == []


def test_internal_note_check_fails_on_a_planted_note(model):
    """Planted fault: a form that tells the contractor what the kit did not check."""
    raw = next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"]
    forms = [dict(f) for f in model.data["forms"]]
    pledge = next(f for f in forms if f["id"] == "pledge")
    pledge["note"] = "本キットでは未確認です。団体の規程を確かめてください。"
    planted = Corpus({**model.data, "forms": forms})
    job = build_job(planted, validate(planted, raw, {}))
    found = internal_notes(job, False)
    assert any("本キットでは" in f for f in found) and any("確かめてください" in f for f in found)


def test_version_stamp_is_in_the_footer_and_properties_not_the_body(model):
    import io
    import zipfile

    from itaku.identify import identify
    from itaku.outputs import build_outputs
    raw = next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"]
    files = build_outputs(build_job(model, validate(model, raw, {})))
    for name in ("specification.docx", "forms.docx"):
        with zipfile.ZipFile(io.BytesIO(files[name])) as z:
            body, footer = z.read("word/document.xml").decode(), z.read("word/footer1.xml").decode()
        assert model.version not in re.sub(r"<[^>]+>", "", body), name
        assert model.version in footer, name
        assert identify(model, files[name])["stamp"]["corpus_version"] == model.version


# ---------------------------------------------------------------- the internal approval and the staff roster (27.5)

def _fields(job: Job, file: str) -> dict[str, str]:
    from itaku.document import Table
    doc = next(d for d in documents(job) if d.name == file)
    out: dict[str, str] = {}
    for b in doc.blocks:
        if isinstance(b, Table) and b.header == ("項目", "記入欄"):
            out.update({label: value for label, value in b.rows})
    return out


def _field(fields: dict[str, str], part: str) -> str:
    return next(v for k, v in fields.items() if part in k)


@pytest.mark.parametrize("eid", ["paper-office", "system-maintenance", "call-centre", "designated-manager", "printing",
                                 "meter-reading", "juki-maintenance", "callcentre-saas", "kenshin-entry",
                                 "tax-notice-printing"])
def test_internal_approval_is_filled_from_the_answers(model, eid):
    raw = next(e for e in model.data["examples"] if e["id"] == eid)["answers"]
    job = build_job(model, validate(model, raw, {}))
    fields = _fields(job, "internal-approval.docx")
    assert "（未回答）" not in "\n".join(fields.values())
    assert job.values["work_name"] in _field(fields, "に行わせる業務の内容")
    if any(r.get("item") for r in job.context.get("data_items") or []):
        items = _field(fields, "取り扱う個人情報の項目")
        assert all(f"「{r['item']}」" in items for r in job.context["data_items"] if r.get("item"))
    if job.context.get("remote_sites") and "情報システムへの接続の方法（閉域網、リモート保守の有無など）" in fields:
        assert job.context["remote_sites"][0]["place"] in _field(fields, "情報システムへの接続の方法")
    if job.context.get("processing") == "paper":
        assert _field(fields, "クラウドサービスでの処理・保管") == "該当しない"


@given(data=st.data())
@SETTINGS
def test_internal_approval_never_says_unanswered(model, data):
    raw, removed = data.draw(answer_space(model))
    job = build_job(model, validate(model, raw, removed))
    for file in ("internal-approval.docx",):
        text = "\n".join(t for name, _, t in texts(job) if name == file)
        assert "（未回答）" not in text


def test_staff_roster_gives_each_subcontractor_its_own_section(model):
    from itaku.document import Heading, Table
    raw = {**next(e for e in model.data["examples"] if e["id"] == "paper-office")["answers"],
           "reoutsourcing": "planned", "reoutsourcing_scope": "封入封緘作業のうち機械封入の部分",
           "subcontractors": [{"name": "株式会社サンプル封入", "location": "福岡市", "scope": "封入"},
                              {"name": "有限会社サンプル印字", "location": "北九州市", "scope": "印字"}]}
    job = build_job(model, validate(model, raw, {}))
    doc = next(d for d in documents(job) if d.name == "forms.docx")
    blocks = list(doc.blocks)
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "責任者・作業従事者名簿")
    end = next(i for i, b in enumerate(blocks) if i > start and isinstance(b, Heading) and b.level == 1)
    roster = blocks[start:end]
    main = next(b for b in roster if isinstance(b, Table) and "氏名" in b.header)
    assert not any("サンプル" in c for row in main.rows for c in row)  # the contractor's own people only
    for name in ("株式会社サンプル封入", "有限会社サンプル印字"):
        at = next(i for i, b in enumerate(roster) if isinstance(b, Heading) and name in b.text and "再委託先" in b.text)
        table = roster[at + 1]
        assert isinstance(table, Table) and all(row[2] == name for row in table.rows)


# ---------------------------------------------------------------- signatories (27.3)

BODIES = [("○○市", "city"), ("□□町", "town"), ("□□村", "village"), ("□□区", "special_ward"), ("△△県", "prefecture"),
          ("東京都", "prefecture"), ("□□広域連合", "association")]
HEADS = {"○○市": "○○市長", "□□町": "□□町長", "□□村": "□□村長", "□□区": "□□区長", "△△県": "△△県知事",
         "東京都": "東京都知事", "□□広域連合": "□□広域連合管理者"}
DOUBLED = re.compile(r"(市市長|町町長|村村長|区区長|県県知事)")


def signatory_problems(job: Job) -> list[str]:
    """Doubled titles (「○○市市長」) and a 長 after a department's bracket (「…（市民税担当）長」)."""
    department = str(job.context.get("department") or "")
    out = []
    for name, _, text in texts(job):
        if DOUBLED.search(text.replace(department, "")):
            out.append(f"{name}: {text[:80]}")
        if department and f"{department}長" in text:
            out.append(f"{name}: 「{department}長」")
    return out


@pytest.mark.parametrize("org_name,org_type", BODIES)
def test_signatories_use_the_head_title(model, org_name, org_type):
    corpus = editions.apply(model, {**REAL, "org_name": org_name, "org_type": org_type})
    raw = {**next(e for e in corpus.data["examples"] if e["id"] == "call-centre")["answers"],
           "department": "市民課（市民税担当）", "copying": True}
    job = build_job(corpus, validate(corpus, raw, {}))
    assert signatory_problems(job) == []
    every = "\n".join(t for _, _, t in texts(job))
    assert HEADS[org_name] in every


@pytest.mark.parametrize("org_name,org_type", [BODIES[0], BODIES[1]])
@given(data=st.data())
@SETTINGS
def test_signatories_over_the_answer_space(model, org_name, org_type, data):
    corpus = editions.apply(model, {**REAL, "org_name": org_name, "org_type": org_type})
    raw, removed = data.draw(answer_space(corpus))
    raw["department"] = data.draw(st.sampled_from(["市民課", "市民課（市民税担当）", "総務部", "税務担当", raw.get("department") or "市民課"]))
    job = build_job(corpus, validate(corpus, raw, removed))
    assert signatory_problems(job) == []


def test_signatory_check_fails_on_a_planted_join(model):
    """Planted fault: the old join 「{{org_name}}{{head_title}}」 in the re-outsourcing approval."""
    forms = [dict(f) for f in model.data["forms"]]
    approval = next(f for f in forms if f["id"] == "reoutsourcing-approval")
    approval["intro"] = ["{{org_name}}{{head_title}}"] + list(approval["intro"])
    planted = Corpus({**model.data, "forms": forms})
    raw = {**next(e for e in model.data["examples"] if e["id"] == "call-centre")["answers"]}
    job = build_job(planted, validate(planted, raw, {}))
    assert any("市市長" in p for p in signatory_problems(job))
