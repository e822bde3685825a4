"""The oversight register (itaku.register, register.xlsx, `itaku register`)."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from itaku import cli, model, register, web
from itaku.answers import AnswersError
from itaku.checks import add_check
from itaku.outputs import job_for, job_record, to_json
from itaku.plan import build_plan
from itaku.render.register_xlsx import render_register

from strategies import answers as answer_strategy

CORPUS = model.load()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def example(example_id: str) -> dict[str, Any]:
    return next(e for e in CORPUS.data["examples"] if e["id"] == example_id)["answers"]


def record(example_id: str, **changes: Any) -> dict[str, Any]:
    return job_record(job_for(CORPUS, {**example(example_id), **changes}))


def check(rec: dict[str, Any], phase: str, day: str, method: str = "実地", role: str = "受託者",
          company: str = "", statuses: dict[str, str] | None = None) -> dict[str, Any]:
    items = rec["applicable_items"][phase]
    answers = {i: {"status": "適合", "evidence_seen": "記録"} for i in items}
    for item_id, status in (statuses or {}).items():
        answers[item_id] = {"status": status, "note": "改善する" if status == "不適合" else "",
                            "due": "2026-12-20"}
    return add_check(rec, {"phase": phase, "date": day, "method": method, "checker": "監督員", "role": role,
                           "company": company, "answers": answers})


# ---------------------------------------------------------------- schedule: properties over generated plans

def plan_of(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"kind": e.key[0], "earliest": e.earliest.isoformat(), "due": e.due.isoformat(), "what": e.what,
             "method": e.method} for e in build_plan(values)]


@st.composite
def plans(draw: st.DrawFn) -> list[dict[str, Any]]:
    raw, removed = draw(answer_strategy(CORPUS))
    try:
        job = job_for(CORPUS, raw, removed)
    except AnswersError:
        assume(False)
    return plan_of(dict(job.answers.values))


def tracked(plan: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return sorted((p for p in plan if p["kind"] == kind), key=lambda p: (p["earliest"], p["due"]))


def on_time(entry: dict[str, Any], kind: str, offset: float) -> dict[str, Any]:
    """A check of the right phase/role, 実地, dated inside the entry's window."""
    first, last = date.fromisoformat(entry["earliest"]), date.fromisoformat(entry["due"])
    day = first + timedelta(days=int((last - first).days * offset))
    phase, role = register.TRACKED[kind]
    return {"phase": phase, "role": role or "受託者", "method": "実地", "date": day.isoformat()}


def d(text: str) -> date:
    return date.fromisoformat(text)


@SETTINGS
@given(plans(), st.floats(0, 1), st.integers(0, 3000))
def test_checks_done_on_time_clear_every_entry(plan: list[dict[str, Any]], offset: float, later: int) -> None:
    checks = [on_time(e, kind, offset) for kind in register.TRACKED for e in tracked(plan, kind)]
    assume(checks)
    as_of = max(d(c["date"]) for c in checks) + timedelta(days=later)
    entries = register.schedule(plan, checks, as_of)
    assert entries and all(e.status == "done" for e in entries), [e for e in entries if e.status != "done"]
    assert register.overdue(entries) == [] and register.next_due(entries) is None


@SETTINGS
@given(plans(), st.data())
def test_a_late_check_stays_overdue_until_done(plan: list[dict[str, Any]], data: st.DataObject) -> None:
    kinds = [k for k in register.TRACKED if tracked(plan, k)]
    kind = data.draw(st.sampled_from(kinds))
    entries = tracked(plan, kind)
    k = data.draw(st.integers(0, len(entries) - 1))
    target = entries[k]
    late_by = data.draw(st.integers(2, 900))  # far enough to pass the next entry's first day
    done_on = d(target["due"]) + timedelta(days=late_by)
    checks = [on_time(e, kind, 0.5) for e in entries[:k]]
    checks.append({**on_time(target, kind, 0), "date": done_on.isoformat()})

    def status(as_of: date) -> str:
        found = [e for e in register.schedule(plan, checks, as_of)
                 if e.kind == kind and e.earliest == d(target["earliest"]) and e.due == d(target["due"])]
        return found[0].status

    before = data.draw(st.dates(d(target["due"]) + timedelta(days=1), done_on - timedelta(days=1)))
    assert status(before) == "overdue"
    assert status(done_on) == "done_late"
    assert status(done_on + timedelta(days=data.draw(st.integers(0, 1000)))) == "done_late"
    assert status(d(target["due"])) == "open"  # on the due date itself it is not yet overdue


@SETTINGS
@given(plans(), st.data())
def test_the_as_of_date_decides(plan: list[dict[str, Any]], data: st.DataObject) -> None:
    """Only checks on or before the 基準日 count; the states follow the 基準日 and nothing else."""
    kinds = [k for k in register.TRACKED if tracked(plan, k)]
    checks = [data.draw(st.builds(lambda e, k, off, shift: {**on_time(e, k, off),
                                                             "date": (d(on_time(e, k, off)["date"]) + timedelta(days=shift)).isoformat(),
                                                             "method": data.draw(st.sampled_from(["書面", "実地"]))},
                                  st.just(e), st.just(k), st.floats(0, 1), st.integers(-20, 400)))
              for k in kinds for e in tracked(plan, k) if data.draw(st.booleans())]
    as_of = data.draw(st.dates(date(2019, 1, 1), date(2045, 12, 31)))
    entries = register.schedule(plan, checks, as_of)
    visible = [c for c in checks if d(c["date"]) <= as_of]
    assert entries == register.schedule(plan, visible, as_of)
    for e in entries:
        assert (e.status == "overdue") == (e.done_on is None and e.due < as_of)
        assert (e.status == "open") == (e.done_on is None and e.due >= as_of)
        if e.done_on:
            assert e.done_on <= as_of
            assert (e.status == "done") == (e.done_on <= e.due)
    nxt = register.next_due(entries)
    assert nxt is None or (nxt.due >= as_of and nxt.status == "open")
    # A later 基準日 never turns a done entry back into an open or overdue one.
    later = register.schedule(plan, checks, as_of + timedelta(days=data.draw(st.integers(1, 800))))
    done_before = {(e.kind, e.earliest, e.due) for e in entries if e.done_on}
    assert done_before <= {(e.kind, e.earliest, e.due) for e in later if e.done_on}


@SETTINGS
@given(plans(), st.floats(0, 1))
def test_a_written_check_never_fulfils_an_on_site_entry(plan: list[dict[str, Any]], offset: float) -> None:
    checks = [{**on_time(e, kind, offset), "method": "書面"} for kind in register.TRACKED for e in tracked(plan, kind)]
    assume(checks)
    as_of = max(d(c["date"]) for c in checks)
    for e in register.schedule(plan, checks, as_of):
        if e.method == "実地":
            assert e.done_on is None
        else:
            assert e.status == "done"


def test_a_late_check_is_counted_for_the_entry_it_was_late_for() -> None:
    """Five contract years: the year-1 check done in year 2 clears year 1; year 2 still needs its own."""
    rec = record("system-maintenance")
    plan = rec["plan"]
    late = [{"phase": "after", "role": "受託者", "method": "実地", "date": "2027-05-10"}]
    annual = [e for e in register.schedule(plan, late, date(2027, 11, 1)) if e.kind == "annual"]
    assert [e.status for e in annual[:3]] == ["done_late", "overdue", "open"]
    assert annual[0].done_on == date(2027, 5, 10) and annual[1].done_on is None


def test_untracked_plan_entries_are_left_out() -> None:
    rec = record("call-centre")
    kinds = {e.kind for e in register.schedule(rec["plan"], [], date(2026, 6, 1))}
    assert kinds <= set(register.TRACKED) and "report" not in kinds


# ---------------------------------------------------------------- rows, improvements, three points

def test_row_of_a_job_with_checks() -> None:
    rec = record("call-centre")
    rec = check(rec, "before", "2026-04-20")
    rec = check(rec, "after", "2026-09-01", statuses={"carry-out-01": "不適合"})
    row = register.row(CORPUS, rec, date(2026, 12, 1))
    assert row["before_check"] == {"state": "before_start", "date": "2026-04-20"}
    assert row["last_check"] == {"date": "2026-09-01", "method": "実地", "phase": "after"}
    assert [i["item"] for i in row["improvements"]] == ["carry-out-01"]
    assert row["improvements"][0]["due"] == "2026-12-20" and not row["improvements"][0]["overdue"]
    assert [e["kind"] for e in row["overdue_checks"]] == ["sub"]  # the subcontractor was never checked
    assert row["overdue"] and row["checklist_phase"] == "after"
    assert set(row["risks"]) == {"volume", "reoutsourcing", "cloud"}
    tp = row["three_points"]
    assert tp["place"] == {**tp["place"], "written": 1, "kept": 0}
    assert tp["return"]["kept"] == 1 and tp["reoutsourcing"]["kept"] == 0  # no 再委託先 check yet
    # The 基準日 after the improvement's due date: overdue improvement.
    later = register.row(CORPUS, rec, date(2026, 12, 21))
    assert later["improvements"][0]["overdue"]
    # A later check that finds it fixed closes the improvement.
    fixed = check(rec, "after", "2026-12-10")
    assert register.row(CORPUS, fixed, date(2026, 12, 21))["improvements"] == []


def test_three_points_follow_clauses_and_subcontractor_checks() -> None:
    rec = record("call-centre")
    rec = check(rec, "after", "2026-09-01")
    rec = check(rec, "after", "2026-09-02", method="書面", role="再委託先", company="株式会社夜間受付")
    tp = register.three_points(CORPUS, rec, date(2026, 12, 1))
    assert {p: (v["written"], v["kept"]) for p, v in tp.items()} == {
        "reoutsourcing": (1, 1), "place": (1, 1), "return": (1, 1)}
    removed = job_record(job_for(CORPUS, example("call-centre"), {"carry-out": "持ち出す資料がないため"}))
    assert register.three_points(CORPUS, removed, date(2026, 12, 1))["place"]["written"] == 0
    # Checks dated after the 基準日 do not count yet.
    assert register.three_points(CORPUS, rec, date(2026, 8, 31))["place"]["kept"] == 0


def test_outdated_corpus_version_names_the_changed_clauses() -> None:
    rec = record("paper-office")
    rec["stamp"]["corpus_version"] = "0.9.0"
    row = register.row(CORPUS, rec, date(2026, 12, 1))
    assert row["corpus"]["outdated"] and "返還" in "".join(row["corpus"]["clauses"])
    assert register.row(CORPUS, record("paper-office"), date(2026, 12, 1))["corpus"]["outdated"] is False


def test_contracts_ending_within_sixty_days() -> None:
    rec = record("paper-office")  # ends 2027-03-31
    assert register.row(CORPUS, rec, date(2027, 1, 30))["ending_soon"]
    assert not register.row(CORPUS, rec, date(2027, 1, 29))["ending_soon"]
    assert not register.row(CORPUS, rec, date(2027, 4, 1))["ending_soon"]


# ---------------------------------------------------------------- bad input, duplicates, replacement

def files_for(*recs: dict[str, Any]) -> list[tuple[str, bytes]]:
    return [(f"job{n}.json", to_json(r)) for n, r in enumerate(recs)]


def test_bad_files_are_refused_by_name_and_the_rest_load() -> None:
    good = to_json(record("paper-office"))
    newer = json.loads(good)
    newer["schema_version"] = 99
    answers_file = dict(json.loads(good), format="itaku-answers")
    text = good.decode("utf-8")
    cut = text[: len(text) // 2].encode("utf-8")  # cut between characters: a truncated file, not bad UTF-8
    files = [("ok.json", good), ("truncated.json", cut), ("newer.json", to_json(newer)),
             ("answers.json", to_json(answers_file)), ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100),
             ("huge.json", b" " * 50_000_000), ("deep.json", b"[" * 100_000), ("list.json", b"[]"),
             ("noplan.json", to_json({**json.loads(good), "plan": [{"kind": "annual", "due": "x"}]}))]
    reg, outcomes = register.load(CORPUS, files)
    assert len(reg.records) == 1
    assert [o["kind"] for o in outcomes] == ["added"] + ["refused"] * 8
    for (name, _), o in zip(files[1:], outcomes[1:]):
        assert o["message"].startswith(name + "：") and len(o["message"]) > len(name) + 5
    assert "途中で切れ" in outcomes[1]["message"]
    assert "新しい版" in outcomes[2]["message"]
    assert "回答ファイル" in outcomes[3]["message"]
    assert "大きすぎ" in outcomes[5]["message"]


def test_duplicates_are_reported_not_counted_and_newer_copies_replace_older() -> None:
    rec = record("printing")
    newer = check(rec, "before", "2026-04-10")
    reg, outcomes = register.load(CORPUS, files_for(rec, rec, newer, rec))
    assert [o["kind"] for o in outcomes] == ["added", "duplicate", "replaced", "older"]
    assert len(reg.records) == 1 and len(next(iter(reg.records.values()))["checks"]) == 1
    tab = register.tabulate(CORPUS, reg.records.values(), date(2026, 5, 1))
    assert tab["counts"]["jobs"] == 1 and tab["departments"][0]["jobs"] == 1
    # Same answers and checks, made again with a newer corpus: the newer stamp wins.
    old_version = json.loads(json.dumps(rec))
    old_version["stamp"]["corpus_version"] = "0.9.0"
    reg, outcomes = register.load(CORPUS, files_for(old_version, rec))
    assert [o["kind"] for o in outcomes] == ["added", "replaced"]
    assert next(iter(reg.records.values()))["stamp"]["corpus_version"] == CORPUS.version


def test_as_of_must_be_a_date() -> None:
    with pytest.raises(register.RegisterError, match="基準日"):
        register.parse_as_of("来週")
    assert register.parse_as_of(" 2026-12-01 ") == date(2026, 12, 1)


# ---------------------------------------------------------------- register.xlsx and the CLI

def all_examples() -> list[dict[str, Any]]:
    return [record(e["id"]) for e in CORPUS.data["examples"]]


def test_workbook_views_formula_safety_stamp_and_print() -> None:
    hostile = record("paper-office", department="=HYPERLINK(\"http://x\")", work_name="@SUM(A1)\x01業務")
    recs = all_examples() + [hostile]
    tab = register.tabulate(CORPUS, recs, date(2026, 12, 1))
    data = render_register(tab)
    assert data == render_register(register.tabulate(CORPUS, list(reversed(recs)), date(2026, 12, 1)))
    assert data != render_register(register.tabulate(CORPUS, recs, date(2026, 12, 2)))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["台帳", "期限超過", "改善指示", "部署別", "三点の確認表"]
    for ws in wb:
        assert ws["A1"].value and ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        assert ws.print_title_rows == "$3:$3"
    main = wb["台帳"]
    cells = [c for r in main.iter_rows(min_row=4) for c in r if isinstance(c.value, str)]
    assert any(c.value.startswith("=HYPERLINK") for c in cells)
    assert all(c.data_type == "s" for c in cells)
    assert any(c.value == "@SUM(A1)業務" for c in cells)  # control characters are removed when answers are read
    ids = [r[-1].value for r in main.iter_rows(min_row=4)]
    assert sorted(ids) == sorted(r["job"] for r in tab["rows"])
    stamp = json.loads(next(p.value for p in wb.custom_doc_props if p.name == "itaku-stamp"))
    assert stamp["phase"] == "register" and stamp["as_of"] == "2026-12-01" and stamp["jobs"] == len(recs)
    three = wb["三点の確認表"]
    total = [c.value for c in list(three.iter_rows(min_row=4))[-1]]
    totals = tab["three_points"]["totals"]
    assert total[0] == "合計" and total[2:8] == [v for p in ("reoutsourcing", "place", "return")
                                                 for v in (totals[p]["written"], totals[p]["kept"])]
    overdue_rows = list(wb["期限超過"].iter_rows(min_row=4, values_only=True))
    assert len(overdue_rows) == sum(len(r["overdue_checks"]) for r in tab["rows"])


def test_cli_writes_the_same_workbook(tmp_path, capsys) -> None:  # noqa: ANN001
    recs = all_examples()
    paths = []
    for n, r in enumerate(recs):
        p = tmp_path / f"job{n}.json"
        p.write_bytes(to_json(r))
        paths.append(str(p))
    bad = tmp_path / "broken.json"
    bad.write_text("{\"format\": \"itaku-job\", ")
    out = tmp_path / "register.xlsx"
    assert cli.main(["register", *paths, str(bad), "--as-of", "2026-12-01", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "broken.json" in err and "途中で切れ" in err
    assert out.read_bytes() == render_register(register.tabulate(CORPUS, recs, date(2026, 12, 1)))
    assert cli.main(["register", paths[0], "--as-of", "12/01", "--out", str(out)]) == 2


def test_page_api_packs_files_and_keeps_the_register() -> None:
    recs = all_examples()[:3]
    blobs = [to_json(r) for r in recs] + [b"not json"]
    meta = [[f"f{n}.json", len(b)] for n, b in enumerate(blobs)]
    text, _ = web.dispatch("register_load", json.dumps([meta, "2026-12-01", True]), b"".join(blobs))
    result = json.loads(text)
    assert [o["kind"] for o in result["outcomes"]] == ["added"] * 3 + ["refused"]
    assert len(result["view"]["rows"]) == 3
    text, files = web.dispatch("register_xlsx", json.dumps(["2026-12-01"]))
    assert json.loads(text)["files"] == ["register.xlsx"]
    assert files["register.xlsx"] == render_register(register.tabulate(CORPUS, recs, date(2026, 12, 1)))
    view = json.loads(web.dispatch("register_remove", json.dumps([recs[0]["answers_hash"], "2026-12-01"]))[0])
    assert len(view["rows"]) == 2
    assert "error" in json.loads(web.dispatch("register_view", json.dumps(["昨日"]))[0])
    web.dispatch("register_load", json.dumps([[], "2026-12-01", True]), b"")
