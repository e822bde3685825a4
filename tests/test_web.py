"""The page API: plain values in, plain values out, Japanese errors instead of exceptions."""
from __future__ import annotations

import json
import time

from itaku import web

BASE = {"work_name": "窓口業務", "department": "市民課", "created_on": "2026-03-01",
        "contract_start": "2026-04-01", "contract_end": "2027-03-31", "record_count": 10}


def test_questionnaire_is_json_and_complete():
    q = web.questionnaire()
    json.dumps(q, ensure_ascii=False)
    keys = [x["key"] for s in q["steps"] for x in s["questions"]]
    assert "work_name" in keys and "reoutsourcing_scope" in keys
    assert {r["id"] for r in q["removable"]} == {"work-place", "carry-out"}
    assert len(q["examples"]) >= 5


def test_conditional_question_visibility_is_decided_in_python():
    assert "reoutsourcing_scope" not in web.state(BASE)["visible"]
    assert "reoutsourcing_scope" in web.state({**BASE, "reoutsourcing": "planned"})["visible"]


def test_state_gives_errors_or_preview():
    bad = web.state({**BASE, "work_name": ""})
    assert not bad["valid"] and "業務名" in bad["errors"]["work_name"]
    good = web.state({**BASE, "work_name": "<img src=x onerror=alert(1)>"})
    assert good["valid"]
    assert "<img" not in good["preview"] and "&lt;img" in good["preview"]
    assert good["articles"][0]["number"] == 1 and good["counts"]["before"] > 0


def test_state_is_fast_enough_for_live_preview():
    web.state(BASE)
    t = time.perf_counter()
    for _ in range(5):
        web.state({**BASE, "record_count": 2000})
    per_call = (time.perf_counter() - t) / 5
    assert per_call < 1.0  # a sanity bound, not a benchmark (see scripts/bench_site.py)


def test_generate_load_and_identify_round_trip():
    files = web.generate(BASE)["files"]
    loaded = web.load(files["answers.json"])
    assert loaded["answers"]["work_name"] == "窓口業務" and loaded["flagged"] == {}
    assert web.load(files["job.json"])["is_record"]
    assert web.identify(files["specification.docx"])["up_to_date"]


def test_bad_inputs_give_messages():
    assert "error" in web.generate({**BASE, "contract_end": "2020-01-01"})
    assert "error" in web.load(b"\xff\xfe garbage")
    assert "error" in web.identify(b"PK\x03\x04")
    assert "error" in web.example("nope")
    assert web.example("printing")["answers"]["reoutsourcing"] == "planned"


def test_dispatch_is_the_page_entry_point():
    text, files = web.dispatch("state", json.dumps([BASE, {}]))
    assert json.loads(text)["valid"] and files == {}
    text, files = web.dispatch("generate", json.dumps([BASE]))
    assert set(json.loads(text)["files"]) == set(files) and files["specification.docx"][:2] == b"PK"
    text, _ = web.dispatch("load", "[]", bytearray(files["answers.json"]))
    assert json.loads(text)["answers"]["work_name"] == "窓口業務"
    assert "error" in json.loads(web.dispatch("__import__", "[]")[0])


def test_checklist_page_api_round_trip():
    files = web.generate(BASE)["files"]
    scope = web.job_scope(files["job.json"], "after")
    assert scope["items"] and scope["work_name"] == "窓口業務" and scope["next_check"]
    assert "error" in web.job_scope(files["answers.json"], "after")
    imported = web.import_checklist(files["checklist-after.xlsx"], scope["record"], "after")
    assert imported["summary"]["counts"]["未確認"] == len(scope["items"])
    assert "error" in web.import_checklist(files["checklist-before.xlsx"], scope["record"], "after")
    item = scope["items"][0]
    saved = web.save_check(scope["record"], {"phase": "after", "date": "2026-10-01", "method": "実地", "checker": "担当",
                                             "answers": {item: {"status": "適合", "evidence_seen": "名簿"}}})
    assert set(saved["files"]) == {"record.xlsx", "record.json", "job.json"}
    again = web.job_scope(saved["files"]["job.json"], "after")
    assert again["answers"][item]["status"] == "適合"
    assert "error" in web.save_check(scope["record"], {"phase": "after", "date": "x", "method": "実地", "checker": "a"})
    name, files_out = web.dispatch("summary", json.dumps([{item: {"status": "不適合"}}, [item]]))
    assert json.loads(name)["counts"]["不適合"] == 1 and files_out == {}
