"""Issue 31: hostile or careless inputs to the register, the checklist and generator APIs and the CLI.

Each test names the item of the issue it holds to. Every case failed before the fix (see the
probe table in the issue note); the messages checked are the ones a user reads.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from itaku import cli, model, register, schema, web
from itaku.answers import answers_hash, load_file, validate
from itaku.checks import CheckError, add_check, import_workbook
from itaku.outputs import build_outputs, job_for, job_record, to_json

CORPUS = model.load()
RLO = "\u202e"


def example(example_id: str = "call-centre") -> dict[str, Any]:
    return dict(next(e for e in CORPUS.data["examples"] if e["id"] == example_id)["answers"])


def record(example_id: str = "call-centre", **changes: Any) -> dict[str, Any]:
    return job_record(job_for(CORPUS, {**example(example_id), **changes}))


def rehash(rec: dict[str, Any]) -> dict[str, Any]:
    """A hand-made record that is internally consistent (its hash recomputed)."""
    rec["answers_hash"] = schema.computed_hash(rec)
    return rec


def data(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def deep(n: int) -> bytes:
    return b'{"format":"itaku-job","a":' + b"[" * n + b"]" * n + b"}"


def malformed(base: dict[str, Any]) -> dict[str, bytes]:
    """Ten job records that pass a first read but are wrong in different ways, each one by name."""
    def variant(mutate) -> bytes:  # noqa: ANN001
        rec = json.loads(json.dumps(base))
        mutate(rec)
        return data(rehash(rec))

    first = base["applicable_items"]["after"][0]

    def bad_answers(rec):  # noqa: ANN001, ANN202
        rec["checks"] = [{"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "x", "answers": []}]

    def bad_rows(rec):  # noqa: ANN001, ANN202
        rec["checks"] = [{"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "x",
                          "answers": {first: "適合"}}]

    return {
        "checks-answers-list.json": variant(bad_answers),
        "contract-type-list.json": variant(lambda r: r["answers"].__setitem__("contract_type", ["itaku"])),
        "applicable-items-list.json": variant(lambda r: r.__setitem__("applicable_items", ["a", "b"])),
        "answer-rows-strings.json": variant(bad_rows),
        "impossible-date.json": variant(lambda r: r["answers"].__setitem__("contract_end", "2027-02-30")),
        "deep.json": deep(100_000),
        "infinity.json": data(base).replace(b'"schema_version": ', b'"x": Infinity, "schema_version": ', 1),
        "altered.json": data({**base, "answers": {**base["answers"], "work_name": "書き換えた業務名"}}),
        "cut-short.json": data(base)[:500],
        "answers-file.json": data({"format": "itaku-answers", "schema_version": 3, "answers": {}}),
    }


# ---------------------------------------------------------------- item 1: one bad record never breaks the register

@pytest.mark.parametrize("name", ["checks-answers-list.json", "contract-type-list.json",
                                  "applicable-items-list.json", "answer-rows-strings.json"])
def test_wrong_shape_records_are_refused_by_name_and_the_good_ones_kept(name: str) -> None:
    good = record()
    bad = malformed(good)[name]
    reg, outcomes = register.load(CORPUS, [("good.json", data(good)), (name, bad)])
    assert [o["kind"] for o in outcomes] == ["added", "refused"]
    assert outcomes[1]["message"].startswith(name + "：業務記録ファイルの")
    register.tabulate(CORPUS, reg.records.values(), register.parse_as_of("2026-10-01"))  # no exception


def test_page_session_stays_clean_after_a_bad_record() -> None:
    good, other = record(), record("printing")
    bad = malformed(good)["checks-answers-list.json"]
    first = web.register_load(bad, [["bad.json", len(bad)]], "2026-10-01", True)
    assert first["outcomes"][0]["kind"] == "refused" and first["view"]["counts"]["jobs"] == 0
    later = web.register_load(data(other), [["other.json", len(data(other))]], "2026-10-01")
    assert later["outcomes"][0]["kind"] == "added" and later["view"]["counts"]["jobs"] == 1


def test_deeply_nested_file_is_refused_quickly_everywhere() -> None:
    blob = deep(100_000)
    assert "入れ子が深すぎます" in register.Register().add("deep.json", blob, 3)["message"]
    assert "入れ子が深すぎます" in web.load(blob)["error"]
    assert "入れ子が深すぎます" in web.job_scope(blob, "after")["error"]
    assert "入れ子が深すぎます" in web.identify(blob)["error"]


def test_five_hundred_records_ten_malformed_cli(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    folder = tmp_path / "jobs"
    folder.mkdir()
    base = record()
    for n in range(490):
        rec = json.loads(json.dumps(base))
        rec["answers"]["work_name"] = rec["work_name"] = f"業務{n:03d}"
        rec.pop("job_id", None)  # 490 jobs, not copies of one (records without an id: one job per answers hash)
        (folder / f"job{n:03d}.json").write_bytes(data(rehash(rec)))
    bad = malformed(base)
    for name, blob in bad.items():
        (folder / name).write_bytes(blob)
    out = tmp_path / "register.xlsx"
    assert cli.main(["register", str(folder), "--as-of", "2026-10-01", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    for name in bad:
        assert f"{folder / name}：" in err, name
    assert "読み込めなかったファイル: 10 件" in err
    ws = openpyxl.load_workbook(out)["台帳"]
    assert sum(1 for row in ws.iter_rows(min_row=4) if row[1].value) == 490


# ---------------------------------------------------------------- item 6: dates and lengths

def workbook_filled(cells: dict[str, dict[int, str]]) -> tuple[dict[str, Any], bytes]:
    files = build_outputs(job_for(CORPUS, example()), "checklist-after.xlsx")
    rec = record()
    wb = openpyxl.load_workbook(io.BytesIO(files["checklist-after.xlsx"]))
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for column, value in cells.get(row[0].value, {}).items():
            row[column].value = value
            row[column].data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return rec, out.getvalue()


def test_impossible_improvement_date_is_refused_at_import() -> None:
    first = record()["applicable_items"]["after"][0]
    rec, book = workbook_filled({first: {7: "不適合", 9: "改善する", 10: "2027-02-30"}})
    with pytest.raises(CheckError, match="2027-02-30 は実在しない日付です"):
        import_workbook(rec, "after", book)


def test_text_over_the_limit_is_not_cut_without_a_word() -> None:
    first = record()["applicable_items"]["after"][0]
    rec, book = workbook_filled({first: {7: "適合", 8: "資" * 5001}})
    with pytest.raises(CheckError, match="5,000文字を超えています"):
        import_workbook(rec, "after", book)
    check = {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監" * 201, "answers": {}}
    with pytest.raises(CheckError, match="確認者」が200文字を超えています"):
        add_check(rec, check)


# ---------------------------------------------------------------- item 7: records from others are checked

def test_altered_record_does_not_replace_the_genuine_one() -> None:
    genuine = record()
    newer = add_check(genuine, {"phase": "after", "date": "2026-10-01", "method": "書面", "checker": "監督員",
                                "answers": {}})
    altered = {**newer, "answers": {**genuine["answers"], "work_name": "書き換えた業務名"}}
    reg, outcomes = register.load(CORPUS, [("a.json", data(genuine)), ("b.json", data(altered))])
    assert outcomes[1]["kind"] == "refused" and "書き換えられています" in outcomes[1]["message"]
    assert next(iter(reg.records.values()))["answers"]["work_name"] == genuine["answers"]["work_name"]
    assert "書き換えられています" in web.job_scope(data(altered), "after")["error"]


def test_cli_never_overwrites_a_register_with_nothing(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    good = tmp_path / "good.json"
    good.write_bytes(data(record()))
    out = tmp_path / "register.xlsx"
    assert cli.main(["register", str(good), "--as-of", "2026-10-01", "--out", str(out)]) == 0
    before = out.read_bytes()
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"{")
    assert cli.main(["register", str(broken), str(tmp_path / "missing.json"), "--out", str(out)]) == 2
    assert out.read_bytes() == before
    assert "作りません" in capsys.readouterr().err


# ---------------------------------------------------------------- item 8: the page and the CLI agree

@pytest.mark.parametrize("key, value", [("data_items", {"item": "氏名"}), ("contract_type", "unknown"),
                                        ("specific_personal_info", "maybe"), ("contract_start", 20260401)])
def test_page_refuses_what_the_cli_refuses_with_the_same_message(tmp_path: Path, capsys, key: str,  # noqa: ANN001
                                                                  value: Any) -> None:
    doc = {"format": "itaku-answers", "schema_version": CORPUS.schema_version, "corpus_version": CORPUS.version,
           "answers": {**example(), key: value}, "removed_clauses": {}}
    page = web.load(data(doc))
    assert "error" in page and page["error"].startswith("回答に問題があります。")
    path = tmp_path / "answers.json"
    path.write_bytes(data(doc))
    assert cli.main(["generate", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    for message in page["errors"].values():
        assert message in err and message in page["error"]


@pytest.mark.parametrize("constant", [b"Infinity", b"NaN", b"-Infinity"])
def test_json_constants_are_refused_in_japanese(constant: bytes) -> None:
    doc = data({"format": "itaku-answers", "schema_version": 3, "answers": example()})
    blob = doc.replace(b'"schema_version": 3', b'"schema_version": 3, "x": ' + constant)
    assert "JSON で使えない値" in web.load(blob)["error"]
    assert "JSON で使えない値" in web.register_load(blob, [["x.json", len(blob)]], "2026-10-01", True)[
        "outcomes"][0]["message"]


def test_unexpected_input_is_a_japanese_refusal_not_a_traceback() -> None:
    text, _ = web.dispatch("register_load", json.dumps([[["a.json", "many"]], "2026-10-01", False]), b"{}")
    result = json.loads(text)
    assert "Traceback" not in text and "error" in result or result["outcomes"][0]["kind"] == "refused"
    check = {"phase": "after", "method": "書面", "date": "2026-10-01", "checker": "監督員"}
    text, _ = web.dispatch("save_check", json.dumps([[], check]))
    assert "Traceback" not in text and "処理できませんでした" in json.loads(text)["error"]


def test_bidi_controls_are_removed_from_contractor_cells_records_and_edition() -> None:
    first = record()["applicable_items"]["after"][0]
    rec, book = workbook_filled({first: {7: "適合", 8: f"規程{RLO}txt.exe", 12: f"監督{RLO}員"}})
    row = import_workbook(rec, "after", book)["answers"][first]
    assert RLO not in row["evidence_seen"] and RLO not in row["checker"]
    hand = rehash(record(work_name="保守"))
    hand["answers"]["department"] = f"総務課{RLO}"
    hand = rehash(hand)
    reg, _ = register.load(CORPUS, [("hand.json", data(hand))])
    assert RLO not in register.row(CORPUS, hand, register.parse_as_of("2026-10-01"))["department"]
    from itaku import edition
    raw = {**CORPUS.edition["raw"], "org_name": f"{RLO}テスト市"}
    assert edition.apply(model.load(), raw).edition["org_name"] == "テスト市"


def test_messages_name_the_real_problem() -> None:
    doc = {"format": "itaku-answers", "schema_version": 3, "answers": example(), "removed_clauses": ["x"]}
    assert "外す条文（removed_clauses）" in web.load(data(doc))["error"]
    newer = {**doc, "removed_clauses": {}, "corpus_version": "9.0.0"}
    assert any("新しい版（コーパス 9.0.0）" in n for n in web.load(data(newer))["notes"])
    bad_date = rehash(record())
    bad_date["answers"]["contract_end"] = "2027-02-30"
    message = register.Register().add("d.json", data(rehash(bad_date)), CORPUS.schema_version)["message"]
    assert "正しい日付ではありません" in message and "契約期間がありません" not in message
    new = record()
    new["stamp"]["corpus_version"] = "9.0.0"
    changed = register.row(CORPUS, new, register.parse_as_of("2026-10-01"))["corpus"]
    assert changed["newer"] and not changed["outdated"]


def run_cli(*args: str, stdin: Any = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "itaku.cli", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_cli_questions_into_head_has_no_traceback() -> None:
    """`itaku questions | head`: the reader closes the pipe after the first line."""
    with subprocess.Popen([sys.executable, "-m", "itaku.cli", "questions"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as proc:
        first = proc.stdout.readline().decode("utf-8")
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8")
        proc.wait()
    assert first.startswith("質問票")
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_cli_bad_paths_get_japanese_messages_and_exit_2(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_bytes(to_json({"format": "itaku-answers", "schema_version": CORPUS.schema_version,
                                 "answers": example(), "removed_clauses": {}}))
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    cases = [
        (["generate", str(answers), "--out", str(a_file)], "同じ名前のファイルがあるため"),
        (["generate", str(answers), "--out", str(a_file / "sub")], "出力先のフォルダを作れません"),
        (["generate", str(tmp_path / "missing.json"), "--out", str(tmp_path / "o")], "ファイルがありません"),
        (["generate", str(tmp_path), "--out", str(tmp_path / "o")], "フォルダです"),
        (["identify", str(tmp_path / "missing.docx")], "ファイルがありません"),
        (["identify", str(tmp_path)], "フォルダです"),
    ]
    for args, words in cases:
        done = run_cli(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and words in done.stderr, (args, done.stderr)
