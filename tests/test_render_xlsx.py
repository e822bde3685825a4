"""Checklist workbooks: layout and protection, formula-safe text, stable bytes, hostile imports."""
from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from office import HAVE_LIBREOFFICE, to_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itaku.document import STATUSES, ChecklistRow, ChecklistSheet
from itaku.render.xlsx import EXCEL_MAX_CHARS, ChecklistImportError, excel_text, read_checklist, render_checklist
from itaku.render.xmlutil import clean_text

STAMP = '{"answers_hash":"ab12","corpus_version":"1.0.0","phase":"before"}'
HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "=1+1", "<script>alert(1)</script> & \"'",
           "制御\x00文字\x1f", "😀👨‍👩‍👧", "_x0041_", "長" * 10_000, "改行\nあり\tタブ"]
HEADER_ROW = 14  # title, 6 meta rows, 3 sign fields (点検日・責任者・点検者), 2 instruction lines, a blank row


def rows(n: int = 30) -> tuple[ChecklistRow, ...]:
    out = []
    for i in range(n):
        hostile = HOSTILE[i % len(HOSTILE)]
        out.append(ChecklistRow(
            item_id=f"item-{i:02d}", number=str(i + 1), group=f"第{i // 3 + 1}条（基本的事項）",
            question=hostile if i < len(HOSTILE) else f"確認事項{i}：従事者名簿を備えているか。",
            evidence="体制図、従事者名簿", answered_by="受託者", method="書面", explanation=f"解説{i}" + hostile))
    return tuple(out)


def sheet(phase: str = "before", **changes) -> ChecklistSheet:
    fields = dict(
        name=f"checklist-{phase}.xlsx", title="遵守確認表（契約前）", phase=phase,
        meta=(("業務名", "住民基本台帳システム運用保守業務"), ("委託元", "某市 総務課"), ("受託者", "株式会社テスト"),
              ("契約期間", "令和7年4月1日〜令和8年3月31日（令和7年度）"), ("作成日", "令和7年4月1日"), ("版", "某市版 1.0.0")),
        instructions=("受託者が各項目を自己点検し、「状況」を選んで提出します。", "不適合の項目は、改善の内容と期限を備考に書きます。"),
        rows=rows(), stamp=STAMP, created="2025-04-01", author="某市 総務課",
    )
    fields.update(changes)
    return ChecklistSheet(**fields)


@pytest.fixture(scope="module")
def rendered() -> bytes:
    return render_checklist(sheet())


def _load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_layout_ids_and_protection(rendered):
    wb = _load(rendered)
    assert wb.sheetnames == ["契約前", "項目解説"]
    ws = wb["契約前"]
    assert ws["B1"].value == "遵守確認表（契約前）"
    assert (ws["C2"].value, ws["D2"].value) == ("業務名", "住民基本台帳システム運用保守業務")
    assert [c.value for c in ws[HEADER_ROW]] == ["項目ID", "No.", "条項", "確認事項", "確認する資料", "回答者", "方法",
                                                 "状況", "確認した資料・根拠", "備考（不適合は改善の内容）", "改善期限", "確認日",
                                                 "確認者"]
    first = HEADER_ROW + 1
    assert [ws.cell(row=r, column=1).value for r in range(first, first + 30)] == [f"item-{i:02d}" for i in range(30)]
    assert ws.column_dimensions["A"].hidden
    assert ws.protection.sheet and not ws.protection.password
    for r in (first, first + 29):
        for col in "ABCDEFG":
            assert ws[f"{col}{r}"].protection.locked, f"{col}{r}"
        for col in "HIJKLM":
            assert not ws[f"{col}{r}"].protection.locked, f"{col}{r}"
            assert ws[f"{col}{r}"].number_format == "@"
    assert ws["B1"].protection.locked and ws[f"H{HEADER_ROW}"].protection.locked
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    dv = validations[0]
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(STATUSES) + '"'
    assert str(dv.sqref) == f"H{first}:H{first + 29}"
    assert dv.showErrorMessage and "適合" in dv.error
    assert ws.freeze_panes == f"D{first}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws[f"D{first}"].alignment.wrap_text and ws[f"D{first}"].border.left.style == "thin"
    # explicit heights: wrapped text would otherwise be cut to one line; the 10,000-character row is capped
    assert all(ws.row_dimensions[r].height >= 2 * 14 for r in range(first, first + 30))
    assert ws.row_dimensions[first + HOSTILE.index("長" * 10_000)].height == 409
    explain = wb["項目解説"]
    assert [c.value for c in explain[1]] == ["No.", "確認事項", "解説"]
    assert explain["C3"].value == "解説1+1" and explain.protection.sheet and explain["C3"].protection.locked


def test_sheet_names_follow_the_phase():
    for phase, name in {"after": "契約後", "selection": "選定", "record": "記録"}.items():
        assert _load(render_checklist(sheet(phase, rows=rows(2)))).sheetnames[0] == name


def test_user_text_is_never_a_formula(rendered):
    ws = _load(rendered)["契約前"]
    first = HEADER_ROW + 1
    for i, text in enumerate(HOSTILE):
        cell = ws.cell(row=first + i, column=4)
        expected = text.replace("\x00", "\ufffd").replace("\x1f", "\ufffd")
        assert cell.value == expected and cell.data_type == "s" and cell.quotePrefix, i
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<script>" not in sheet_xml


def test_properties_and_stamp(rendered):
    wb = _load(rendered)
    assert {p.name: p.value for p in wb.custom_doc_props} == {"itaku-stamp": STAMP}
    props = wb.properties
    assert (props.title, props.creator, props.lastModifiedBy) == ("遵守確認表（契約前）", "某市 総務課", "某市 総務課")
    assert props.created == props.modified == datetime(2025, 4, 1)
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        core = z.read("docProps/core.xml").decode()
    assert core.count("2025-04-01T00:00:00Z") == 2 and str(date.today().year + 1) not in core


def test_identical_sheets_give_identical_bytes(rendered):
    time.sleep(1.1)  # openpyxl would otherwise date zip entries and core.xml with the clock
    assert render_checklist(sheet()) == rendered
    assert render_checklist(sheet(created="2025-04-02")) != rendered
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())


def test_bytes_do_not_depend_on_hash_seed(rendered):
    code = ("import sys, hashlib; sys.path.insert(0, sys.argv[1]); from test_render_xlsx import sheet; "
            "from itaku.render.xlsx import render_checklist; "
            "print(hashlib.sha256(render_checklist(sheet())).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout.strip()
               for seed in ("1", "2")}
    assert digests == {hashlib.sha256(rendered).hexdigest()}


def test_overlong_text_is_cut_to_what_excel_accepts():
    text = excel_text("a" + "😀" * 20_000)
    assert len(text.encode("utf-16-le")) // 2 <= EXCEL_MAX_CHARS
    assert text.endswith("😀") and text == clean_text(text)


def _fill(data: bytes, answers: dict[int, tuple], formulas: dict[str, str] | None = None) -> bytes:
    """Answers typed into H..M the way a contractor would (openpyxl stands in for Excel).

    The answer cells are formatted as text, so Excel keeps "=1+1" typed there as text.
    """
    wb = _load(data)
    ws = wb.worksheets[0]
    for row, values in answers.items():
        for col, value in zip("HIJKLM", values):
            cell = ws[f"{col}{row}"]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    for ref, formula in (formulas or {}).items():
        ws[ref] = formula  # a real formula, e.g. typed after changing the cell format
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_trip_returns_answers_exactly(rendered):
    first = HEADER_ROW + 1
    filled = _fill(rendered, {
        first: ("不適合", "従事者名簿（令和7年4月版）", "=1+1", "2025-06-30", date(2025, 4, 10), "山田"),
        first + 1: ("適合", "@SUM(A1)", "-2", None, "2025/4/11", "+x"),
        first + 2: ("該当なし", "😀 改行\nあり", "制御_x0001_文字", "11月末", datetime(2025, 4, 12, 9, 30), 12),
        first + 3: ("よくわからない", None, 1.5, None, None, True),
    }, formulas={f"J{first + 4}": "=1+1"})
    result = read_checklist(memoryview(filled))  # what Pyodide may pass from JavaScript
    assert result["stamp"] == STAMP and result["phase"] == "before"
    got = result["rows"]
    assert set(got) == {f"item-{i:02d}" for i in range(30)}
    assert got["item-00"] == {"status": "不適合", "evidence_seen": "従事者名簿（令和7年4月版）", "note": "=1+1",
                              "due": "2025-06-30", "checked_on": "2025-04-10", "checker": "山田"}
    assert got["item-01"] == {"status": "適合", "evidence_seen": "@SUM(A1)", "note": "-2", "due": "",
                              "checked_on": "2025/4/11", "checker": "+x"}
    assert got["item-02"] == {"status": "該当なし", "evidence_seen": "😀 改行\nあり", "note": "制御\ufffd文字",
                              "due": "11月末", "checked_on": "2025-04-12T09:30:00", "checker": "12"}
    # a word the list does not hold is kept as typed: itaku.checks maps 「はい」「いいえ」 and refuses the rest by name
    assert got["item-03"] == {"status": "よくわからない", "evidence_seen": "", "note": "1.5", "due": "", "checked_on": "",
                              "checker": "TRUE"}
    # formulas are never evaluated: only a cached value would be read, and openpyxl stores none
    assert got["item-04"] == {"status": "", "evidence_seen": "", "note": "", "due": "", "checked_on": "", "checker": ""}


def test_workbooks_without_the_due_column_are_still_read(rendered):
    """Checklists made before 改善期限 had its own column (H..L: 状況, 根拠, 備考, 確認日, 確認者)."""
    wb = _load(rendered)
    ws = wb.worksheets[0]
    ws.delete_cols(11)  # 改善期限
    ws.cell(row=HEADER_ROW, column=10, value="備考（改善内容・期限）")
    first = HEADER_ROW + 1
    for col, value in zip("HIJKL", ("不適合", "名簿", "12月末までに整備", "2025-04-10", "山田")):
        ws[f"{col}{first}"] = value
    out = io.BytesIO()
    wb.save(out)
    got = read_checklist(out.getvalue())["rows"]["item-00"]
    assert got == {"status": "不適合", "evidence_seen": "名簿", "note": "12月末までに整備", "due": "",
                   "checked_on": "2025-04-10", "checker": "山田"}


def test_rows_are_matched_by_id_not_position(rendered):
    wb = _load(rendered)
    ws = wb.worksheets[0]
    first = HEADER_ROW + 1
    ws.move_range(f"A{first}:M{first + 29}", rows=3)  # rows shifted, e.g. by a user inserting lines
    ws[f"H{first + 3 + 5}"] = "適合"
    ws.title = "名前を変えたシート"
    out = io.BytesIO()
    wb.save(out)
    result = read_checklist(out.getvalue())
    assert result["rows"]["item-05"]["status"] == "適合"
    assert result["phase"] == "before"  # from the stamp once the sheet name is gone


def test_prefilled_answers_are_written(rendered):
    done = rows(2)
    done = (ChecklistRow(**{**done[0].__dict__, "status": "適合", "note": "=1+1", "checked_on": "2025-05-01"}), done[1])
    result = read_checklist(render_checklist(sheet("record", rows=done)))
    assert result["phase"] == "record"
    assert result["rows"]["item-00"] == {"status": "適合", "evidence_seen": "", "note": "=1+1", "due": "",
                                         "checked_on": "2025-05-01", "checker": ""}


# "_" left out: "_x0001_" is how Excel writes a control character, and is read back as one (then U+FFFD).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=(), exclude_characters="_"), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT, ANY_TEXT)
def test_property_any_text_round_trips(question, note):
    base = rows(1)[0]
    row = ChecklistRow(**{**base.__dict__, "question": question, "note": note})
    data = render_checklist(sheet("record", rows=(row,)))

    def expected(t: str) -> str:
        return clean_text(t).replace("\r\n", "\n").replace("\r", "\n")

    assert read_checklist(data)["rows"]["item-00"]["note"] == expected(note)
    record_header = HEADER_ROW - 3  # a record sheet has no sign fields
    assert (_load(data).worksheets[0].cell(row=record_header + 1, column=4).value or "") == expected(question)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _without_id_column() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No.", "確認事項", "状況"])
    ws.append(["1", "質問", "適合"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    b"",
    os.urandom(4096),
    b"PK\x03\x04" + os.urandom(200),
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
    _zip({"hello.txt": b"not a workbook"}),
    _zip({"xl/workbook.xml": b"<workbook", "[Content_Types].xml": b"<Types/>"}),
    _without_id_column(),
    b"x" * 10_000_001,
], ids=["empty", "random", "broken-zip", "ole", "zip", "bad-xml", "no-id-column", "too-big"])
def test_hostile_files_raise_a_japanese_error(data):
    with pytest.raises(ChecklistImportError) as caught:
        read_checklist(data)
    message = str(caught.value)
    assert message and any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in message)


def test_missing_id_column_is_named_in_the_message():
    with pytest.raises(ChecklistImportError, match="本キットの遵守確認表ではありません"):
        read_checklist(_without_id_column())


def test_zip_bomb_is_refused():
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * 70_000_000})
    assert len(bomb) < 1_000_000
    with pytest.raises(ChecklistImportError, match="大きすぎます"):
        read_checklist(bomb)


def test_duplicated_ids_are_refused(rendered):
    wb = _load(rendered)
    ws = wb.worksheets[0]
    ws[f"A{HEADER_ROW + 2}"] = "item-00"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ChecklistImportError, match="item-00"):
        read_checklist(out.getvalue())


def test_too_many_rows_are_refused(rendered):
    wb = _load(rendered)
    ws = wb.worksheets[0]
    ws.cell(row=HEADER_ROW + 5_001, column=1, value="far-away")
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ChecklistImportError, match="行が多すぎます"):
        read_checklist(out.getvalue())


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_converts_to_pdf(tmp_path: Path, rendered):
    source = tmp_path / "checklist-before.xlsx"
    source.write_bytes(rendered)
    text = to_pdf([source], tmp_path)[source]
    if text is not None:
        assert "遵守確認表" in text and "確認事項" in text
