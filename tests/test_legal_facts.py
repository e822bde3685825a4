"""Facts of law and attribution that drift when text is edited (issue 18).

Each test pins one fact a department would quote: which Q&A is cited for whom,
which article covers notice to the persons concerned, whose rule an on-site
check is, which deadlines the incident pages give, what each cited document is
called and where each cited number was checked.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings

from itaku import volumes
from itaku.answers import validate
from itaku.conditions import evaluate
from itaku.job import build_job
from itaku.model import Corpus
from itaku.plan import FUKUOKA, KIT_POLICY, fukuoka_triggers, requirements

from strategies import answers as answer_space

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every file whose words reach a user: corpus, pages, and the runtime's own strings.
TEXT_FILES = sorted(
    [*ROOT.glob("clauses/*.md"), *ROOT.glob("clauses/local/*.md"), *ROOT.glob("checklists/**/*.yml"),
     ROOT / "clauses/questions.yml", ROOT / "clauses/forms.yml", ROOT / "clauses/examples.yml",
     *ROOT.glob("docs/**/*.md"), *ROOT.glob("src/itaku/*.py")],
    key=str)
TEXT_FILES = [p for p in TEXT_FILES if p.name != "README.md"]


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def _paragraphs() -> Iterator[tuple[str, str]]:
    """(file, paragraph) for every blank-line separated block of every text file."""
    for path in TEXT_FILES:
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            yield str(path.relative_to(ROOT)), block


def _sentences() -> Iterator[tuple[str, str]]:
    for where, block in _paragraphs():
        for sentence in re.split(r"(?<=。)", block):
            yield where, sentence


def _source(corpus: dict[str, Any], doc_id: str) -> dict[str, Any]:
    return next(d for d in corpus["sources"] if d["id"] == doc_id)


# ------------------------------------------------------------------ Q3-1-2 is about 指定管理者

def test_q3_1_2_is_cited_only_by_the_designated_manager_clause(corpus):
    citing = {c["id"] for c in corpus["clauses"] if "ppc-qa-gov#Q3-1-2" in (c.get("sources") or [])}
    citing |= {i["id"] for i in corpus["items"] if "ppc-qa-gov#Q3-1-2" in (i.get("sources") or [])}
    for name, data in corpus["lists"].items():
        citing |= {f"{name}:{i['id']}" for i in data["items"] if "ppc-qa-gov#Q3-1-2" in (i.get("sources") or [])}
    assert citing == {"designated-manager"}
    mentions = {where for where, block in _paragraphs() if "Q3-1-2" in block}
    assert mentions == {"clauses/02-designated-manager.md"}, mentions


# ------------------------------------------------------------------ 本人通知 is 法第68条第2項

def test_notice_to_the_persons_concerned_is_cited_as_article_68_2():
    wrong = [(where, s.strip()[:80]) for where, s in _sentences()
             if "第68条第1項" in s and "本人" in s and "通知" in s and "第68条第2項" not in s]
    assert not wrong, wrong
    cited = [where for where, s in _sentences() if "第68条第2項" in s]
    assert {"clauses/26-incident.md", "clauses/30-sensitive.md", "docs/manual/6-incidents.md"} <= set(cited)


# ------------------------------------------------------------------ every cited article is registered

ARTICLE = re.compile(r"(地方自治法|番号法|規則|法)第(\d+)条((?:の\d+)?)(第\d+項)?(第\d+号)?")


def test_every_article_in_the_text_is_registered_as_checked(corpus):
    refs = {d["id"]: set(d.get("refs") or {}) for d in corpus["sources"]}
    doc_of = {"地方自治法": "local-autonomy-act", "番号法": "mynumber-act", "規則": "appi-rules", "法": "appi"}
    missing = set()
    for where, block in _paragraphs():
        for m in ARTICLE.finditer(block):
            ref = "第" + m.group(2) + "条" + m.group(3) + (m.group(4) or "") + (m.group(5) or "")
            doc = doc_of[m.group(1)]
            if m.group(1) == "法" and block[max(0, m.start() - 3):m.start()].endswith("番号"):
                doc = "mynumber-act"
            if doc == "appi" and "番号法" in block and ref in refs["mynumber-act"] and ref not in refs["appi"]:
                doc = "mynumber-act"  # 「番号法第10条…同法第12条」
            if not any(r == ref or r.startswith(ref) for r in refs[doc]):
                missing.add((where, doc, ref))
    assert not missing, sorted(missing)


def test_every_registered_ref_says_where_it_was_checked(corpus):
    where = re.compile(r"seed \d{3}|REFERENCES\.md|e-Gov|ppc\.go\.jp|https?://|\.jp/|\.go\.jp")
    vague = [(d["id"], ref, note) for d in corpus["sources"] for ref, note in (d.get("refs") or {}).items()
             if not where.search(str(note))]
    assert not vague, vague


# ------------------------------------------------------------------ titles of the cited documents

def test_source_titles_and_issuers(corpus):
    qa = _source(corpus, "ppc-qa-gov")
    assert qa["title"] == "個人情報の保護に関する法律についてのQ&A（行政機関等編）"
    assert qa["issuer"] == "個人情報保護委員会事務局"
    assert "令和6年3月" in qa["date"]
    assert _source(corpus, "mic-2007")["title"] == "個人情報の取扱いに係る外部委託契約の内容及び遵守状況の緊急点検について（依頼）"
    assert "事業者編" in _source(corpus, "ppc-qa-mynumber")["title"]
    draft = _source(corpus, "mic-jyuki-standard")
    assert "改正案" in draft["title"] and "改正案" in draft["date"]


def test_the_technical_standard_is_always_named_as_a_draft():
    loose = [(where, s.strip()[:60]) for where, s in _sentences()
             if "技術的基準" in s and "改正案" not in s and "同案" not in s]
    assert not loose, loose


# ------------------------------------------------------------------ whose rule an on-site check is

FUKUOKA_TRIGGERS = {  # seed 003, 監査の結果2(2): the four cases of the prefecture's notice
    ("特定個人情報を取り扱う", "{'eq': ['specific_personal_info', True]}"),
    ("要配慮個人情報を取り扱う", "{'eq': ['sensitive_info', True]}"),
    ("1,000件以上の保有個人情報を取り扱う", "{'gte': ['record_count', 1000]}"),
    ("提出されたチェックリスト（報告書）に疑義がある", "None"),
}


def test_fukuoka_triggers_are_the_four_the_prefecture_states(corpus):
    data = _source(corpus, "fukuoka-2024")["onsite_triggers"]
    assert {(t["label"], str(t["when"])) for t in data} == FUKUOKA_TRIGGERS
    assert tuple(fukuoka_triggers()) == tuple(data)  # the plan reads exactly this data


def test_property_no_plan_rule_is_labelled_fukuoka_unless_fukuoka_states_it(model):
    triggers = fukuoka_triggers()

    @SETTINGS
    @given(answer_space(model))
    def check(case):
        raw, removed = case
        context = build_job(model, validate(model, raw, removed)).context
        holding = [t["label"] for t in triggers if t["when"] is not None and evaluate(t["when"], context)]
        others = [t["label"] for t in triggers if t["label"] not in holding]
        onsite = False
        for req in requirements(context):
            if "福岡" not in req.rule:
                assert "福岡県の通知" not in req.reason or req.rule == KIT_POLICY, req
                continue
            assert req.rule == FUKUOKA, req
            if req.what.startswith("契約前の遵守確認表"):  # 監査の結果2(1): self-check right after signing
                continue
            onsite = True
            # with per-year counts (issue 26 item 6) a yearly check reads its year's cumulative count
            year = volumes.counted(context, req.key[1]) if req.key[0] in ("annual", "onsite-start") else context
            held = [t["label"] for t in triggers if t["when"] is not None and evaluate(t["when"], year)]
            assert req.method == "実地" and held, req
            assert all(label in req.reason for label in held), req
            assert not any(label in req.reason for label in others + [h for h in holding if h not in held]), req
            assert "過去" not in req.reason, req
        assert onsite == bool(holding)
        kit = [r for r in requirements(context) if r.rule == KIT_POLICY]
        assert bool(kit) == bool(context.get("past_incident"))
    check()


def test_the_past_incident_rule_is_labelled_the_kits_policy_wherever_it_appears(corpus):
    help_text = next(q for s in corpus["questions"]["steps"] for q in s["questions"] if q["key"] == "past_incident")["help"]
    assert "本キットの方針" in help_text
    derived = next(d for d in corpus["questions"]["derived"] if d["key"] == "onsite_required")["help"]
    assert "本キットの方針" in derived
    for where, block in _paragraphs():
        if re.search(r"過去に(同じ業務で)?事故があった", block) and "実地" in block:
            assert "本キットの方針" in block, (where, block[:120])
    start = date(2026, 4, 1)
    reqs = requirements({"contract_start": "2026-04-01", "contract_end": "2027-03-31", "past_incident": True})
    assert [r.rule for r in reqs if "過去" in r.reason] == [KIT_POLICY]
    assert all(r.earliest >= start for r in reqs if r.rule == KIT_POLICY)


def test_counting_1000_by_people_is_called_the_kits_interpretation(corpus):
    record = next(q for s in corpus["questions"]["steps"] for q in s["questions"] if q["key"] == "record_count")
    assert "本キットの解釈" in record["help"]
    for where in ("docs/glossary.md", "docs/faq.md", "docs/manual/4-monitoring.md"):
        blocks = [b for w, b in _paragraphs() if w == where and "1,000件" in b and "本人の数" in b]
        assert blocks and all("本キットの解釈" in b for b in blocks), where


# ------------------------------------------------------------------ remote checks and distance

def test_remote_check_citations_name_the_distance_example():
    """PPC's A3-1-4 names a contractor far away as the example where video/photos may replace a visit."""
    bad = [(where, block[:100]) for where, block in _paragraphs()
           if ("Q3-1-4" in block or "4-8-9(3)" in block) and ("映像" in block or "写真" in block)
           and "遠隔地" not in block]
    assert not bad, bad
    overstated = [(where, s.strip()[:80]) for where, s in _sentences()
                  if re.search(r"県外|遠方|遠い", s) and re.search(r"認められ(ません|ない)|理由になりません", s)
                  and not re.search(r"福岡県|監査委員|本キット", s)]
    assert not overstated, overstated


# ------------------------------------------------------------------ reporting deadlines

def test_reporting_deadlines_are_stated_where_staff_look_on_the_day(corpus):
    incident = next(c for c in corpus["clauses"] if c["id"] == "incident")
    forms = {f["id"]: f for f in corpus["forms"]}
    places = {
        "clause commentary": incident["commentary"]["趣旨"],
        "manual": (ROOT / "docs/manual/6-incidents.md").read_text(encoding="utf-8"),
        "form first": forms["incident-first"]["note"],
    }
    for where, text in places.items():
        for fact in ("速報", "確報", "30日以内", "60日以内", "知った", "規則第8条", "規則第44条", "行政機関等"):
            assert fact in text, (where, fact)
    assert "30日以内" in forms["incident-detail"]["note"] and "行政機関等" in forms["incident-detail"]["note"]
    # issue 28: the authority's own days are stated (規則第44条; 特定個人情報ガイドライン（行政機関等編）別添2),
    # with 番号法第29条の4 for 特定個人情報, and no page or form calls them unconfirmed
    for where, text in places.items():
        for fact in ("別添2", "3〜5日" if "3〜5日" in text else "3～5日", "番号法第29条の4", "いずれかの部署" if where != "form first" else "遅くとも"):
            assert fact in text, (where, fact)
    clause_text = " ".join(p["text"] for p in incident["texts"][""])
    assert "30日以内" in clause_text and "60日以内" in clause_text and "3日から5日" in clause_text
    unconfirmed = re.compile(r"未確認|要確認|確認できていません|確認していません")
    for where, text in [*places.items(), ("form detail", forms["incident-detail"]["note"])]:
        assert not unconfirmed.search(text), (where, unconfirmed.search(text).group(0))


# ------------------------------------------------------------------ one incident, not two

def test_fukuoka_13man_leak_is_told_as_part_of_the_ntt_west_incident():
    separate = [where for where, block in _paragraphs() if "13万件" in block and "NTT西日本" not in block]
    assert not separate, separate
