"""Hypothesis strategies over the questionnaire's whole answer space (read from the corpus)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, Mapping

from hypothesis import strategies as st

from itaku.model import Corpus

HOSTILE = st.sampled_from([
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "+1", "-1",
    "&amp; \"quoted\" 'single'",
    "絵文字🙂👍🏽",
    "制御\x01文字\x0b\x7f",
    "長" * 180,
])

# Shapes of free text a user types: noun phrase, sentence, several sentences, brackets, bidi controls.
SHAPES = st.sampled_from([
    "封入封緘作業のうち機械封入の部分",
    "発送作業は再委託しない。",
    "宛名印刷を行う。封入は手作業で行う。",
    "（仮称）「市民」課の（補助）作業：２０２６",
    "本庁舎３階　ＡＢＣ区画",
    "\u202e逆向き\u202c文字\u2066",
])


def _usable(s: str) -> bool:
    """Text that is not empty once cleaned (control characters, a final 「。」 removed)."""
    from itaku.answers import clean_text
    return bool(clean_text(s).rstrip("。").strip())


# "{{" typed by a user is kept as typed (test_questionnaire_facts checks it); left out here so that
# the "no unfilled placeholder" property can search the documents for "{{".
TEXT = st.one_of(HOSTILE, SHAPES, st.text(min_size=1, max_size=40).filter(lambda s: _usable(s) and "{{" not in s))
SAFE_SCOPE = "封入封緘作業のうち機械封入の部分"


def value_for(q: dict[str, Any]) -> st.SearchStrategy[Any]:
    qtype = q["type"]
    if qtype == "text":
        limit = q.get("max_length", 1000)
        return TEXT.map(lambda s: s[:limit])
    if qtype == "bool":
        return st.booleans()
    if qtype == "integer":
        return st.one_of(st.integers(0, 5000), st.integers(0, 10_000_000))
    if qtype == "choice":
        return st.sampled_from([c["value"] for c in q["choices"]])
    if qtype == "multi":
        values = [c["value"] for c in q["choices"]]
        return st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)
    if qtype == "list":
        return st.lists(row_for(q), min_size=0, max_size=min(4, q.get("max_items", 30)))
    if qtype == "date":  # a cell of a list (work_events); answers() moves it into the contract period
        return st.dates(date(2020, 1, 1), date(2035, 12, 31)).map(date.isoformat)
    raise AssertionError(qtype)


def row_for(q: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """One row of a list question: every column filled (text may be hostile), or a blank row the page may send."""
    filled = st.fixed_dictionaries({c["key"]: value_for(c) for c in q["columns"]})
    # a new dict each time (not st.just of one dict): code under test that edits a row must not change later draws
    blank = st.fixed_dictionaries({c["key"]: st.just("") for c in q["columns"] if c["type"] in ("text", "date")})
    return st.one_of(filled, filled, filled, blank)


def dated_rows_in_period(corpus: Corpus, raw: Mapping[str, Any]) -> dict[str, Any]:
    """``raw`` without the rows of dated lists (work_events) that fall outside [created_on, contract_end], and
    without per-year counts (they name the drawn period's years and add up to the drawn total): for tests that
    shorten a drawn contract or change its count (validation refuses both)."""
    first, last = max(raw["contract_start"], raw["created_on"]), raw["contract_end"]
    out = {k: v for k, v in raw.items() if k != "record_counts_by_year"}
    for q in corpus.questions():
        if q["type"] == "list" and isinstance(out.get(q["key"]), list):
            dated = [c["key"] for c in q["columns"] if c["type"] == "date"]
            out[q["key"]] = [row for row in out[q["key"]]
                             if all(not row.get(k) or first <= row[k] <= last for k in dated)]
    return out


def usable_parties(rows: Any, total: Any) -> list[dict[str, Any]]:
    """Drawn counterparty rows made valid: named and numbered apart, counts within the job's; none for fewer than 2."""
    from itaku.answers import clean_text
    kept = [dict(r) for r in rows if isinstance(r, dict) and any(str(v).strip() for v in r.values())]
    if len(kept) < 2:
        return []
    for n, row in enumerate(kept, start=1):
        row["name"] = f"{clean_text(str(row.get('name') or ''))[:80]}（相手方{n}）"
        count = row.get("record_count")
        if isinstance(count, int) and isinstance(total, int) and count > total:
            row["record_count"] = total
    return kept
YEAR_FORMS = (lambda y: f"令和{y - 2018}年度", lambda y: f"{y}年度", lambda y: f"R{y - 2018}", lambda y: str(y))


def year_rows(raw: Mapping[str, Any]) -> st.SearchStrategy[list[dict[str, str]]]:
    """record_counts_by_year for these answers: one row per contract year (named in any accepted form), the
    counts adding up to ``record_count`` (issue 26 item 6)."""
    from itaku import volumes
    span = date.fromisoformat(raw["contract_start"]), date.fromisoformat(raw["contract_end"])
    years = [volumes.fiscal(a) for a, _ in volumes.contract_years(*span)]
    total = raw.get("record_count") if isinstance(raw.get("record_count"), int) else 0
    cuts = st.lists(st.integers(0, total), min_size=len(years) - 1, max_size=len(years) - 1).map(sorted)
    form = st.sampled_from(YEAR_FORMS)  # the contracts drawn start in 2020 or later: 令和 years

    def rows(c: list[int], f: Callable[[int], str]) -> list[dict[str, str]]:
        bounds = [0, *c, total]
        return [{"year": f(y), "count": f"{bounds[i + 1] - bounds[i]:,}"} for i, y in enumerate(years)]
    return st.builds(rows, cuts, form)


@st.composite
def answers(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    # Every question of the corpus, work_kinds (業務の類型) included: a question left out of ``raw`` takes
    # what the drawn kinds preset, so the properties also cover the presets and how they merge.
    raw: dict[str, Any] = {}
    for q in corpus.questions():
        if q["type"] == "date":
            continue
        if q.get("required") or draw(st.booleans()):
            raw[q["key"]] = draw(value_for(q))
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    length = draw(st.sampled_from([30, 180, 364, 365, 400, 730, 1095, 1826]))
    raw["contract_start"] = start.isoformat()
    raw["contract_end"] = (start + timedelta(days=length)).isoformat()
    raw["created_on"] = (start - timedelta(days=draw(st.integers(0, 90)))).isoformat()
    in_period = st.dates(start, start + timedelta(days=length)).map(date.isoformat)
    for q in corpus.questions():  # dated work lies in the contract period (validation refuses other dates)
        if q["type"] == "list" and isinstance(raw.get(q["key"]), list):
            dated = [c["key"] for c in q["columns"] if c["type"] == "date"]
            raw[q["key"]] = [{**row, **{k: draw(in_period) for k in dated if row.get(k)}} for row in raw[q["key"]]]
    raw = with_event_places(raw)
    if raw.get("record_counts_by_year"):  # per-year counts name the contract's years and add up to the total
        raw["record_counts_by_year"] = draw(year_rows(raw))
    from itaku.answers import _names_whole_job, clean_text
    work_name = clean_text(str(raw.get("work_name", ""))).rstrip("。")
    for q in corpus.questions():  # a scope naming the whole job is refused (tested on its own)
        value, words = raw.get(q["key"]), q.get("refuse_whole_job")
        if words and isinstance(value, str) and _names_whole_job(clean_text(value), words, work_name):
            raw[q["key"]] = next(c for c in (SAFE_SCOPE, "宛名ラベルの印字", "回収箱の運搬")
                                 if not _names_whole_job(c, words, work_name))
    if "counterparties" in raw:  # a usable list (validation refuses 1 row, a name twice, a count over the job's)
        raw["counterparties"] = usable_parties(raw["counterparties"], raw.get("record_count"))
    default_on = [c["id"] for c in corpus.clauses if c["inclusion"] == "default_on"]
    removed_ids = draw(st.lists(st.sampled_from(default_on), unique=True)) if default_on else []
    removed = {cid: draw(TEXT) for cid in removed_ids}
    return raw, removed


def with_event_places(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` whose dated work (work_events) names only places among its work_places (validation refuses
    another); ``holds_over_answer_space`` applies it again, after strategies that change work_places."""
    chosen = raw.get("work_places") if isinstance(raw.get("work_places"), list) else []
    if not isinstance(raw.get("work_events"), list):
        return raw
    return {**raw, "work_events": [{**row, "place": row["place"] if row.get("place") in chosen else ""}
                                   if isinstance(row, dict) and "place" in row else row for row in raw["work_events"]]}


def holds_over_answer_space(corpus: Corpus, problems: Callable[[Any], list[str]], settings: Any,
                            drawn_from: st.SearchStrategy[tuple[dict[str, Any], dict[str, str]]] | None = None) -> None:
    """Hypothesis over the answer space: ``problems(job)`` finds nothing for any job drawn (``settings``: the
    test module's hypothesis settings; ``drawn_from``: a narrower strategy of (answers, removed) than the whole
    answer space)."""
    from hypothesis import given

    from itaku.answers import validate
    from itaku.job import build_job

    @settings
    @given(drawn_from if drawn_from is not None else answers(corpus))
    def prop(drawn: tuple[dict[str, Any], dict[str, str]]) -> None:
        raw, removed = drawn
        found = problems(build_job(corpus, validate(corpus, with_event_places(raw), removed)))
        assert not found, "\n".join(found[:20])

    prop()


def job_of(corpus: Corpus, raw: Mapping[str, Any], removed: Mapping[str, str] | None = None) -> Any:
    """The Job of these answers (validated: AnswersError if the answers are refused)."""
    from itaku.answers import validate
    from itaku.job import build_job

    return build_job(corpus, validate(corpus, dict(raw), dict(removed or {})))


def example_jobs(corpus: Corpus) -> list[Any]:
    """The Job of every worked example (clauses/examples.yml), with its removed clauses."""
    return [job_of(corpus, e["answers"], e.get("removed_clauses")) for e in corpus.data["examples"]]


def example_job(corpus: Corpus, example_id: str, **extra: Any) -> Any:
    """The Job of a worked example's answers, with ``extra`` answers over them."""
    from itaku.answers import validate
    from itaku.job import build_job
    raw = next(e for e in corpus.data["examples"] if e["id"] == example_id)["answers"]
    return build_job(corpus, validate(corpus, {**raw, **extra}, {}))


def with_fault(corpus: Corpus, change: Callable[[dict[str, Any]], None]) -> Corpus:
    """A copy of the corpus with a fault planted by ``change`` (on a deep copy of its data)."""
    import copy
    data = copy.deepcopy(corpus.data)
    change(data)
    return Corpus(data)


def text_of(doc: Any) -> str:
    """The text of a document model (headings, paragraphs, tables, articles with their 号), one piece a line."""
    from itaku.document import Article, Heading, Paragraph, Table
    out = []
    for b in doc.blocks:
        if isinstance(b, (Heading, Paragraph)):
            out.append(b.text)
        elif isinstance(b, Table):
            out += list(b.header) + [c for row in b.rows for c in row]
        elif isinstance(b, Article):
            out += [b.number + b.caption] + [c.text for c in b.clauses] + [t for c in b.clauses for _, t in c.items]
    return "\n".join(out)


def spec_texts(job: Any) -> list[tuple[str, str]]:
    """(clause id, text) of every 項 and 号 the job's specification adopts, as filled."""
    from itaku.articles import article
    out = []
    for s in job.selected:
        for c in article(job, s).clauses:
            out += [(s.clause["id"], c.text)] + [(s.clause["id"], t) for _, t in c.items]
    return out
