"""Letters as a municipality sends them (issue 27): a letter or notice starts with its 文書番号 line (a blank
number the sender fills, under the department's unit when the answers name one), its date, the addressee and
the sender, then its title; no cover page before it, and no internal note inside it — no routing line
(「提出：…」) and no reference line (「参考：…」). Each property is shown to fail on a planted fault."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from itaku import lifecycle
from itaku.answers import validate
from itaku.document import Document, Heading, PageBreak, Paragraph
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.wareki import wareki

from strategies import answers as answer_space, example_job, with_fault

NUMBER = re.compile(r"^\S*第　+号$")  # 「市民課第　　　号」: the number is the sender's to give
DATE = re.compile(r"^令和(元|\d+|　+)年(\d+|　+)月(\d+|　+)日$")
NOTES = ("提出：", "参考：")  # the department's routing and the kit's references: never inside a letter
EXAMPLES = ["juki-maintenance", "tax-notice-printing", "home-visits", "printing", "designated-manager"]


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def _pages(doc: Document) -> list[list[Any]]:
    pages: list[list[Any]] = [[]]
    for b in doc.blocks:
        if isinstance(b, PageBreak):
            pages.append([])
        else:
            pages[-1].append(b)
    return pages


def _text(b: Any) -> str:
    return b.text if isinstance(b, (Paragraph, Heading)) else ""


def prop_letters(job: Job) -> list[str]:
    """Every dated section (a letter or an application) of a life-cycle file: number (when the authority sends it),
    date, addressee and sender before its Heading 1; no routing or reference line; no cover before a file of them."""
    out: list[str] = []
    docs = {d.name: d for d in lifecycle.documents(job)}
    for file in lifecycle.spec(job)["files"]:
        doc = docs.get(file["file"])
        if doc is None:
            continue
        pages = _pages(doc)
        chosen = lifecycle._ordered(job, lifecycle.sections(job, file["id"]))
        covered = any(isinstance(b, Heading) and b.level == 0 for b in pages[0])
        letters = [s for s, _ in chosen if s.get("dated")]
        if covered and letters and len(letters) == len(chosen):
            out.append(f"{doc.name}: 通知文・申請書の前に表紙（{_text(pages[0][0])}）がある")
        for (section, _), page in zip(chosen, pages[1:] if covered else pages):
            if not section.get("dated"):
                if not covered:  # a file without a cover holds only letters and applications, each dated
                    out.append(f"{doc.name}: {next((_text(b) for b in page if _text(b)), '')}: 日付と宛先で始まらない")
                continue
            texts = [_text(b) for b in page]
            head = next((i for i, b in enumerate(page) if isinstance(b, Heading) and b.level == 1), 0)
            where = f"{doc.name}: {_text(page[head])}"
            lines = texts[:head]
            # the authority numbers what it sends; an application from the contractor has no number of ours
            numbered = "contractor_name" not in str((section.get("letter") or {}).get("from", ""))
            if numbered and not (lines and NUMBER.match(lines[0])):
                out.append(f"{where}: 文書番号の行（○○第　　号）で始まらない：{lines[:1]}")
            lines = lines[1:] if numbered and lines else lines
            if not (lines and DATE.match(lines[0])):
                out.append(f"{where}: 文書番号の次が日付でない：{lines[:1]}")
            if len(lines) < 2 or not lines[1].endswith(("様", "各位")):
                out.append(f"{where}: 日付の次が宛先でない：{lines[1:2]}")
            if len(lines) < 3:
                out.append(f"{where}: 宛先の次に発信者がない")
            out += [f"{where}: 庁内のメモ「{t}」がある" for t in texts if t.startswith(NOTES)]
    return out


OUTGOING = ("notices.docx", "forms.docx", "approvals.docx", "reoutsourcing-application.docx",
            "reoutsourcing-approval.docx")


def prop_no_references_handed_out(job: Job) -> list[str]:
    """Files handed to bidders and the contractor carry no 「参考：」 line of the kit's sources (internal files may)."""
    return [f"{d.name}: 「{_text(b)}」" for d in lifecycle.documents(job) if d.name in OUTGOING
            for b in d.blocks if _text(b).startswith("参考：")]


def _section(data: dict, sid: str) -> dict:
    found = [s for s in data["documents"]["sections"] + data["forms"] if s["id"] == sid]
    return found[0]


@given(data=st.data())
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.generate], database=None)
def test_letters_over_the_answer_space(model, data):
    raw, removed = data.draw(answer_space(model))
    job = build_job(model, validate(model, raw, removed))
    problems = prop_letters(job) + prop_no_references_handed_out(job)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("eid", EXAMPLES)
def test_worked_examples_letters(model, eid):
    job = example_job(model, eid)
    assert prop_letters(job) == [] and prop_no_references_handed_out(job) == [], eid


def test_number_line_under_the_department():
    """「市民部市民課」 → 「市民課第　　　号」; a department typed without 部 stays whole; none → a blank 記号."""
    class J:  # only the answers' department is read
        def __init__(self, department: Any) -> None:
            self.context: Mapping[str, Any] = {"department": department}
    assert lifecycle.number_line(J("市民部市民課")) == "市民課第　　　号"
    assert lifecycle.number_line(J("税務課")) == "税務課第　　　号"
    assert lifecycle.number_line(J("")) == "　　　　第　　　号"
    assert lifecycle.number_line(J(None)) == "　　　　第　　　号"


def test_notices_start_with_the_letter(model):
    """notices.docx: page 1 is the notice to bidders, dated at 作成日, under the number line; no particulars."""
    job = example_job(model, "juki-maintenance")
    doc = next(d for d in lifecycle.documents(job) if d.name == "notices.docx")
    first = [_text(b) for b in _pages(doc)[0]]
    created = wareki(date.fromisoformat(job.context["created_on"]))
    assert first[:5] == ["市民課第　　　号", created, "入札・見積りに参加する事業者　各位", "○○市長",
                         "個人情報の取扱いに関する周知文"], first[:5]
    assert not any(t.startswith(("業務名：", "委託元：", "契約期間：")) for t in first)


# ---------------------------------------------------------------- planted faults

def test_planted_cover_before_letters(model):
    def change(d: dict) -> None:
        next(f for f in d["documents"]["files"] if f["id"] == "notices")["cover"] = True
    assert any("表紙" in p for p in prop_letters(example_job(with_fault(model, change), "juki-maintenance")))


def test_planted_letter_without_its_head(model):
    planted = with_fault(model, lambda d: _section(d, "selfcheck-request").pop("letter"))
    found = prop_letters(example_job(planted, "juki-maintenance"))
    assert any("文書番号" in p for p in found) and any("提出：" in p for p in found), found


def test_planted_letter_without_number(model):
    planted = with_fault(model, lambda d: _section(d, "reoutsourcing-approval")["letter"].update(number=False))
    assert any("文書番号" in p for p in prop_letters(example_job(planted, "juki-maintenance")))


def test_planted_reference_line_in_a_letter(model, monkeypatch):
    real = lifecycle.section_blocks

    def with_reference(job, section, f):
        return real(job, section, f) + [Paragraph("参考：総務省 平成21年報告書 2-4-2", align="right")]
    monkeypatch.setattr(lifecycle, "section_blocks", with_reference)
    assert any("参考：" in p for p in prop_letters(example_job(model, "juki-maintenance")))


def test_compiler_checks_the_letter_shape(model):
    from itaku.build.validate_documents import validate_documents
    assert not [p for p in validate_documents(model.data) if "letter" in p]
    planted = with_fault(model, lambda d: _section(d, "selfcheck-request")["letter"].pop("to"))
    assert any("letter" in p for p in validate_documents(planted.data))


def test_planted_reference_line_in_the_forms(model):
    def change(d: dict) -> None:
        next(f for f in d["documents"]["files"] if f["id"] == "forms").pop("references")
    assert prop_no_references_handed_out(example_job(model, "tax-notice-printing")) == []
    assert any("forms.docx" in p for p in prop_no_references_handed_out(example_job(with_fault(model, change),
                                                                             "tax-notice-printing")))


def test_roster_names_subcontractors_only_where_re_outsourcing_is_possible(model):
    banned = example_job(model, "tax-notice-printing")
    assert banned.context["act_reoutsourcing"] not in ("approval", "allowed")
    text = "\n".join(_text(b) for d in lifecycle.documents(banned) if d.name == "forms.docx" for b in d.blocks)
    assert "責任者及び作業従事者を次のとおり届け出ます" in text and "再委託先の者を含む" not in text
    allowed = example_job(model, "juki-maintenance")
    text = "\n".join(_text(b) for d in lifecycle.documents(allowed) if d.name == "forms.docx" for b in d.blocks)
    assert "再委託先の者を含む" in text


def test_planted_application_without_its_head(model):
    """The contractor's application is a letter too: date, addressee (the contracting body), applicant, title."""
    planted = with_fault(model, lambda d: [_section(d, "act-application").pop(k) for k in ("letter", "dated")])
    assert any("日付と宛先" in p for p in prop_letters(example_job(planted, "juki-maintenance")))
