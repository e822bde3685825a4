"""The kit's own .xlsx writer (itaku.render.sheetml) against the openpyxl writer it replaced.

The old writer is kept in tests/legacy_xlsx.py, not in the product: comparing
with a second, independent writer checks every property openpyxl reads back
(tests/xlsx_readback.py) for any sheet the answer space can give, where a list
of stored properties would only cover the examples it was made from.
"""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, settings

from itaku import model as model_module, register
from itaku.checks import add_check, record_sheet
from itaku.contents import sheets
from itaku.outputs import job_for, job_record
from itaku.render import xlsx
from itaku.render.register_xlsx import render_register
from itaku.render.xlsx import render_checklist
from legacy_xlsx import legacy_checklist, legacy_register
from strategies import example_jobs, holds_over_answer_space
from xlsx_readback import read_back

CORPUS = model_module.load()
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


def differences(old: bytes, new: bytes) -> list[str]:
    """What openpyxl reads differently from the two workbooks (empty: the same workbook for a reader)."""
    a, b = read_back(old), read_back(new)
    out = [f"{key}: {a[key]!r} != {b[key]!r}" for key in ("active", "properties", "custom") if a[key] != b[key]]
    if len(a["sheets"]) != len(b["sheets"]):
        return [*out, f"sheets: {[s['title'] for s in a['sheets']]} != {[s['title'] for s in b['sheets']]}"]
    for sa, sb in zip(a["sheets"], b["sheets"]):
        for key in sa:
            if key == "cells":
                for ref in sorted(set(sa["cells"]) | set(sb["cells"])):
                    if sa["cells"].get(ref) != sb["cells"].get(ref):
                        out.append(f"{sa['title']}!{ref}: {sa['cells'].get(ref)!r} != {sb['cells'].get(ref)!r}")
            elif sa[key] != sb[key]:
                out.append(f"{sa['title']} {key}: {sa[key]!r} != {sb[key]!r}")
    return out


def sheet_problems(job) -> list[str]:
    return [f"{s.name}: {d}" for s in sheets(job) for d in differences(legacy_checklist(s), render_checklist(s))]


@pytest.mark.parametrize("job", example_jobs(CORPUS), ids=[e["id"] for e in CORPUS.data["examples"]])
def test_every_example_checklist_reads_back_as_openpyxl_wrote_it(job):
    found = sheet_problems(job)
    assert not found, "\n".join(found[:20])


def test_checklists_read_back_alike_over_the_answer_space():
    holds_over_answer_space(CORPUS, sheet_problems, SETTINGS)


def test_record_sheet_and_register_read_back_alike():
    rec = job_record(job_for(CORPUS, next(e for e in CORPUS.data["examples"] if e["id"] == "call-centre")["answers"]))
    items = rec["applicable_items"]["after"]
    answers = {i: {"status": "適合", "evidence_seen": "=1+1 記録"} for i in items}
    answers[items[0]] = {"status": "不適合", "note": "改善する", "due": "2026-12-20"}
    done = add_check(rec, {"phase": "after", "date": "2026-09-01", "method": "実地", "checker": "監督員",
                           "role": "受託者", "company": "", "answers": answers})
    record = record_sheet(CORPUS, done, done["checks"][-1])
    assert not differences(legacy_checklist(record), render_checklist(record))
    recs = [job_record(job_for(CORPUS, e["answers"])) for e in CORPUS.data["examples"]] + [done]
    for tab in (register.tabulate(CORPUS, recs, date(2026, 12, 1)), register.tabulate(CORPUS, [], date(2026, 12, 1))):
        found = differences(legacy_register(tab), render_register(tab))
        assert not found, "\n".join(found[:20])


@pytest.mark.parametrize("fault", ["row height", "answer fill", "hidden column", "footer size"])
def test_the_comparison_sees_a_planted_fault(monkeypatch, fault):
    """Each fault in the new writer shows up as a difference (the comparison above can fail)."""
    job = example_jobs(CORPUS)[0]
    sheet = sheets(job)[0]
    old = legacy_checklist(sheet)
    if fault == "row height":
        monkeypatch.setattr(xlsx, "LINE_HEIGHT", 14.0)
    elif fault == "answer fill":
        monkeypatch.setattr(xlsx, "ANSWER_FILL", "FFFFFF")
    elif fault == "hidden column":
        original = xlsx._checklist_sheet
        monkeypatch.setattr(xlsx, "_checklist_sheet", lambda ws, s: (original(ws, s), ws.hidden_columns.discard(1)))
    else:
        original_setup = xlsx._print_setup

        def setup(ws, row, footer=""):
            original_setup(ws, row, footer)
            ws.footer_right_size = 8
        monkeypatch.setattr(xlsx, "_print_setup", setup)
    assert differences(old, render_checklist(sheet)), fault


def test_same_bytes_twice_and_only_standard_parts():
    job = example_jobs(CORPUS)[0]
    for sheet in sheets(job):
        data = render_checklist(sheet)
        assert data == render_checklist(sheet)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            assert z.namelist()[0] == "[Content_Types].xml"
            assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
            for name in z.namelist():  # every part is well-formed XML
                from xml.dom.minidom import parseString
                parseString(z.read(name))


def test_generating_does_not_load_openpyxl():
    """The page generates without importing openpyxl (it is loaded only to read a workbook back)."""
    import subprocess
    import sys
    code = ("import sys; sys.modules['openpyxl'] = None\n"
            "from itaku import model\nfrom itaku.outputs import generate\n"
            "c = model.load(); e = c.data['examples'][0]\n"
            "files = generate(c, e['answers'])\nassert any(n.endswith('.xlsx') for n in files)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]


def test_deterministic_zip_writes_what_zipfile_writes():
    """The zip writer of xmlutil spells out zipfile's format: the same members give the same bytes."""
    import os

    from itaku.render.xmlutil import COMPRESS_LEVEL, ZIP_DATE, deterministic_zip

    def reference(entries):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                z.writestr(info, data, compresslevel=COMPRESS_LEVEL)
        return buf.getvalue()

    for entries in ([("[Content_Types].xml", b"<Types/>" * 500), ("empty.xml", b""), ("名前.xml", os.urandom(3000))],
                    []):
        assert deterministic_zip(entries) == reference(entries)
        with zipfile.ZipFile(io.BytesIO(deterministic_zip(entries))) as z:
            assert z.testzip() is None and [(n, z.read(n)) for n in z.namelist()] == entries
