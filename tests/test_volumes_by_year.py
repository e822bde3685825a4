"""Volumes that change over the years (issue 26 item 6): a multi-year contract whose population grows gives the
people first handled in each contract year (record_counts_by_year). The supervision plan states, per 年度, the count
that year's rules used (the cumulative count to the year's end), which years reach Fukuoka's 1,000件以上 and from
which year; each yearly check's rules follow that year's count; the counts add up to record_count or the form says
what is wrong. Absent, every document is as before. Over the worked example and the answer space, the property shown
to fail on planted faults."""
from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings, strategies as st

from itaku import volumes
from itaku.answers import AnswersError, validate
from itaku.build import form_html
from itaku.document import Paragraph, Table
from itaku.job import Job
from itaku.model import Corpus
from itaku.nextyear import next_year
from itaku.plan import FUKUOKA, onsite_triggers, periods
from itaku.supervision import plan_rows, supervision_plan

from strategies import answers as answer_space, dated_rows_in_period, holds_over_answer_space, job_of, year_rows

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])
EXAMPLE = "afterschool-club-intake"
CAPTION = "年度ごとの取扱件数"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in model.data["examples"] if e["id"] == EXAMPLE)["answers"])


# ---------------------------------------------------------------- the property

def expected_years(job: Job) -> list[tuple[str, int, int]]:
    """(年度, new, cumulative) per contract year, computed from the answers here (not by itaku.volumes.by_year)."""
    start, end = date.fromisoformat(job.context["contract_start"]), date.fromisoformat(job.context["contract_end"])
    given = {volumes.parse_year(r["year"]): volumes.parse_count(r["count"]) for r in job.context[volumes.KEY]}
    out, running = [], 0
    for a, _ in periods(start, end):
        year = a.year if a.month >= 4 else a.year - 1
        running += given[year]
        out.append((volumes.year_label(year), given[year], running))
    return out


def year_count_problems(job: Job) -> list[str]:
    """A job with volumes per year states the count used for each year's rules, and the rules used it."""
    if not job.context.get(volumes.KEY) or job.context.get("term") != "multi_year":
        return []
    years, problems = expected_years(job), []
    if years[-1][2] != job.context["record_count"]:
        problems.append(f"累計 {years[-1][2]} が取扱件数 {job.context['record_count']} と合わない")
    doc = supervision_plan(job)
    table = next((b for b in doc.blocks if isinstance(b, Table) and b.caption == CAPTION), None)
    if table is None:
        return problems + ["監督計画に年度ごとの取扱件数の表がない"]
    first = next((n for n, (_, _, c) in enumerate(years) if c >= 1000), None)
    for n, ((label, new, cumulative), row) in enumerate(zip(years, table.rows)):
        reach = ("当たる（この年度から）" if n == first else "当たる") if cumulative >= 1000 else "当たらない"
        if (row[0], row[2], row[3], row[4]) != (label, f"{new:,}人", f"{cumulative:,}人", reach):
            problems.append(f"表の{label}の行が {row}（期待：{new:,}人、累計{cumulative:,}人、{reach}）")
    if len(table.rows) != len(years):
        problems.append(f"表の行数 {len(table.rows)} が契約の年数 {len(years)} と違う")
    others = bool(onsite_triggers({**job.context, "record_count": 0}))  # triggers that are not the count
    for e in job.plan:
        if e.key[0] not in ("annual", "onsite-start") or e.key[1] >= len(years):
            continue
        label, _, cumulative = years[e.key[1]]
        wanted = others or cumulative >= 1000
        if (FUKUOKA in e.rules) != wanted:
            problems.append(f"{e.key} {label}（累計{cumulative:,}人）: 福岡県の通知の実地調査が{'ない' if wanted else 'ある'}")
        if cumulative >= 1000 and f"{label}の末までの累計{cumulative:,}人" not in " ".join(e.reasons):
            problems.append(f"{e.key} {label}: 根拠がこの年度の累計{cumulative:,}人を言わない")
    stated = [what for _, what, _, _ in plan_rows(job) if what.startswith("契約後の遵守確認表による確認")]
    for label, _, cumulative in years[:len(stated)]:
        if not any(f"{label}分。件数は累計{cumulative:,}人" in what for what in stated):
            problems.append(f"監督計画の行が{label}の件数（累計{cumulative:,}人）を言わない")
    return problems


@st.composite
def multi_year_jobs(draw: st.DrawFn, corpus: Corpus) -> tuple[dict[str, Any], dict[str, str]]:
    """Answers of a multi-year contract with per-year counts that agree (the rest of the answer space drawn)."""
    raw, removed = draw(answer_space(corpus))
    start = date.fromisoformat(raw["contract_start"])
    raw["contract_end"] = (start + timedelta(days=draw(st.sampled_from([400, 730, 1095, 1460, 1826])))).isoformat()
    raw["record_count"] = draw(st.one_of(st.integers(0, 3000), st.integers(0, 10_000_000)))
    # A counterparty's count may not exceed the whole job's (the count was just drawn again).
    if isinstance(raw.get("counterparties"), list):
        raw["counterparties"] = [{**row, "record_count": min(row["record_count"], raw["record_count"])}
                                 if isinstance(row, dict) and isinstance(row.get("record_count"), int) else row
                                 for row in raw["counterparties"]]
    raw = dated_rows_in_period(corpus, raw)
    raw[volumes.KEY] = draw(year_rows(raw))
    return raw, removed


def test_property_a_job_with_volumes_per_year_states_the_count_of_each_year(model):
    holds_over_answer_space(model, year_count_problems, SETTINGS, multi_year_jobs(model))


def test_the_worked_example(model):
    job = job_of(model, example(model))
    assert not year_count_problems(job)
    table = next(b for b in supervision_plan(job).blocks if isinstance(b, Table) and b.caption == CAPTION)
    assert [row[3] for row in table.rows] == ["220人", "460人", "720人", "1,000人", "1,300人"]
    assert table.rows[3][4] == "当たる（この年度から）"  # exactly 1,000 reaches 「1,000件以上」
    text = "\n".join(b.text for b in supervision_plan(job).blocks if isinstance(b, Paragraph))
    assert "令和12年度から契約期間の終わりまでの各年度の確認" in text and "本キットの解釈" in text
    annual = [e for e in job.plan if e.key[0] == "annual"]
    assert [FUKUOKA in e.rules for e in annual] == [False, False, False, True, True]
    assert not any(e.key[0] == "onsite-start" and FUKUOKA in e.rules for e in job.plan)  # year 1 is under 1,000


@pytest.mark.parametrize("fault", ["whole contract", "the year's own count"])
def test_the_property_fails_on_planted_faults(model, monkeypatch, fault):
    """Each year's rules reading the whole contract's count, or only the year's own people: the property says so."""
    def whole(values, index):
        return dict(values)

    def own(values, index):
        years = volumes.by_year(values)
        return {**values, "record_count": years[index].new} if index < len(years) else dict(values)
    monkeypatch.setattr(volumes, "counted", whole if fault == "whole contract" else own)
    problems = year_count_problems(job_of(model, example(model)))
    assert any("福岡県の通知の実地調査が" in p for p in problems), problems


def test_without_the_counts_the_plan_is_as_before(model):
    raw = example(model)
    del raw[volumes.KEY]
    job = job_of(model, raw)
    doc = supervision_plan(job)
    assert not any(isinstance(b, Table) and b.caption == CAPTION for b in doc.blocks)
    assert any(isinstance(b, Paragraph) and b.text.startswith("取扱件数（契約期間の全体で受託者が取り扱う本人の数）：1,300人。"
                                                              "福岡県の通知が原則として実地調査を求める1,000件以上に当たります")
               for b in doc.blocks)
    assert all(FUKUOKA in e.rules for e in job.plan if e.key[0] == "annual")  # the whole contract's 1,300 every year
    assert not any("分。件数は累計" in what for _, what, _, _ in plan_rows(job))


def test_the_question_is_asked_only_for_multi_year_contracts(model):
    raw = {**example(model), "contract_start": "2027-04-01", "contract_end": "2028-03-31"}
    assert volumes.KEY not in validate(model, raw).values  # hidden: its answer is ignored, nothing refused


@pytest.mark.parametrize("change, message", [
    (lambda rows: rows[4].update(count="290"), "年度ごとの人数の合計（1,290人）が「取扱件数（本人の数）」（1,300人）と合いません"),
    (lambda rows: rows.pop(2), "令和11年度がありません"),
    (lambda rows: rows[4].update(year="令和14年度"), "5行目の令和14年度は契約期間の年度（令和9年度～令和13年度の5行）に当たりません"),
    (lambda rows: rows[1].update(year="令和9年度"), "令和9年度が1行目と2行目の2回あります"),
    (lambda rows: rows[0].update(year="来年"), "1行目の年度は「令和8年度」又は「2026年度」の形で書いてください"),
    (lambda rows: rows[0].update(count="多数"), "1行目の人数は0以上の数字で書いてください"),
])
def test_counts_that_disagree_are_refused_in_japanese(model, change, message):
    raw = example(model)
    change(raw[volumes.KEY])
    with pytest.raises(AnswersError) as exc:
        validate(model, raw)
    assert message in exc.value.errors[volumes.KEY]
    assert exc.value.errors[volumes.KEY].startswith("「年度ごとの人数")


def test_other_ways_of_writing_the_years_and_counts_are_read(model):
    raw = example(model)
    raw[volumes.KEY] = [{"year": y, "count": c} for y, c in
                        (("2027年度", "２２０"), ("R10", "240人"), ("令和11", "260"), ("2030", "280"), ("令和１３年度", "3００"))]
    assert [y.cumulative for y in volumes.by_year(validate(model, raw).values)] == [220, 460, 720, 1000, 1300]


def test_next_years_set_moves_the_years_of_the_counts(model):
    out = next_year(model, example(model), {}, {}, today="2032-02-01")
    assert [r["year"] for r in out["answers"][volumes.KEY]] == ["令和14年度", "令和15年度", "令和16年度", "令和17年度",
                                                                "令和18年度"]
    validate(model, out["answers"])  # the moved counts still name the new period's years


def test_the_form_draws_the_list_with_its_column_labels(model):
    q = next(q for q in model.questions() if q["key"] == volumes.KEY)
    html = form_html.question_html(q, None, False)
    assert '<th scope="col">年度（例：令和8年度）</th>' in html and '<th scope="col">その年度に初めて取り扱う人数</th>' in html
    assert q["label"] in html and 'data-add-row="record_counts_by_year"' in html
