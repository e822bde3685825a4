#!/usr/bin/env python3
"""Benchmark: the register page's work for 50 and for 500 job records, in CPython and Pyodide (Node), one run.

What is timed is the page's own call once Python is ready: ``itaku.web.dispatch("register_load", …)``
with every file packed in one buffer (read, refuse, de-duplicate, tabulate at a 基準日, the view as
JSON), plus ``register_xlsx`` for the workbook. Target: 500 records loaded and tabulated in Pyodide
≤ 3 s; printed as a ratio to 50 records measured in the same run (linear growth gives ≈ 10).

    .venv/bin/python scripts/bench_register.py [--runs 3]
Needs: node_modules/pyodide (npm ci) and the wheels in .cache/wheels (built here).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_generate import ROOT, ensure_wheels  # noqa: E402 - the same wheels and Pyodide set-up

AS_OF = "2027-01-15"

BENCH_PY = r"""
import json, time, statistics
from itaku import web
blob = open(BLOB, "rb").read()
meta = json.load(open(META))
def once(n, xlsx=False):
    files = meta[:n]
    size = sum(s for _, s in files)
    t = time.perf_counter()
    text, _ = web.dispatch("register_load", json.dumps([files, AS_OF, True]), blob[:size])
    t_load = time.perf_counter() - t
    view = json.loads(text)["view"]
    assert len(view["rows"]) == n, len(view["rows"])
    t_xlsx = 0.0
    if xlsx:
        t = time.perf_counter()
        web.dispatch("register_xlsx", json.dumps([AS_OF]))
        t_xlsx = time.perf_counter() - t
    return t_load, t_xlsx, len(text)
once(50, True)  # warm-up: imports, corpus, openpyxl styles
result = {}
for n in (50, 500):
    runs = [once(n, True) for _ in range(RUNS)]
    result[str(n)] = {"load_ms": statistics.median(r[0] for r in runs) * 1000,
                      "xlsx_ms": statistics.median(r[1] for r in runs) * 1000,
                      "view_bytes": runs[0][2], "bytes": sum(s for _, s in meta[:n])}
"""

NODE = r"""
const fs = require("fs");
const path = require("path");
const { loadPyodide } = require(process.argv[2]);
(async () => {
  const py = await loadPyodide({ indexURL: path.dirname(process.argv[2]) + "/" });
  const site = py.runPython("import site; site.getsitepackages()[0]");
  for (const wheel of JSON.parse(process.argv[3])) {
    py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: site });
  }
  py.runPython("import importlib; importlib.invalidate_caches(); import itaku.web");
  py.FS.writeFile("/tmp/blob", new Uint8Array(fs.readFileSync(process.argv[5])));
  py.FS.writeFile("/tmp/meta.json", fs.readFileSync(process.argv[6]));
  py.runPython(fs.readFileSync(process.argv[4], "utf8"));
  console.log(JSON.stringify(py.globals.get("result").toJs({ dict_converter: Object.fromEntries })));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def records(n: int) -> list[tuple[str, bytes]]:
    """``n`` different jobs from the worked examples (shifted dates, numbered names), some with checks."""
    sys.path.insert(0, str(ROOT / "src"))
    from itaku import model
    from itaku.checks import add_check
    from itaku.outputs import job_for, job_record, to_json

    corpus = model.load()
    examples = corpus.data["examples"]
    out = []
    for i in range(n):
        answers = dict(examples[i % len(examples)]["answers"])
        shift = timedelta(days=7 * (i // len(examples)) % 700)
        for key in ("contract_start", "contract_end", "created_on"):
            answers[key] = (date.fromisoformat(str(answers[key])) + shift).isoformat()
        answers["work_name"] = f"{answers['work_name']}（{i + 1}）"
        answers["department"] = f"{answers['department']}{i % 12}"
        rec = job_record(job_for(corpus, answers))
        if i % 3:
            items = rec["applicable_items"]["after"]
            rec = add_check(rec, {"phase": "after", "date": answers["contract_start"], "method": "実地",
                                  "checker": "監督員", "answers": {x: {"status": "適合"} for x in items}})
        out.append((f"job{i:03d}.json", to_json(rec)))
    return out


def cpython(blob: Path, meta: Path, runs: int) -> dict:
    scope: dict = {"BLOB": str(blob), "META": str(meta), "AS_OF": AS_OF, "RUNS": runs}
    exec(BENCH_PY, scope)  # noqa: S102 - our own benchmark code, the same text Pyodide runs
    return scope["result"]


def pyodide(blob: Path, meta: Path, runs: int, wheels: list[Path], tmp: Path) -> dict:
    loader = ROOT / "node_modules/pyodide/pyodide.js"
    if not loader.exists():
        sys.exit("node_modules/pyodide is missing: run npm ci first")
    js, py = tmp / "bench.js", tmp / "bench.py"
    js.write_text(NODE)
    py.write_text(f"BLOB = '/tmp/blob'\nMETA = '/tmp/meta.json'\nAS_OF = {AS_OF!r}\nRUNS = {runs}\n" + BENCH_PY)
    run = subprocess.run(["node", str(js), str(loader), json.dumps([str(w) for w in wheels]), str(py), str(blob),
                          str(meta)], capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        sys.exit(f"Pyodide benchmark failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    wheels = ensure_wheels()
    files = records(500)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        blob, meta = tmp / "blob", tmp / "meta.json"
        blob.write_bytes(b"".join(data for _, data in files))
        meta.write_text(json.dumps([[n, len(d)] for n, d in files]))
        c = cpython(blob, meta, args.runs)
        p = pyodide(blob, meta, args.runs, wheels, tmp)
    print(f"job records: 50 ({c['50']['bytes']:,} bytes) and 500 ({c['500']['bytes']:,} bytes), "
          f"基準日 {AS_OF}, median of {args.runs} runs after warm-up")
    for label, r in (("CPython", c), ("Pyodide", p)):
        print(f"{label:8}: load+tabulate 50 {r['50']['load_ms']:7.1f} ms   500 {r['500']['load_ms']:7.1f} ms   "
              f"ratio {r['500']['load_ms'] / r['50']['load_ms']:5.2f}x   register.xlsx 500 {r['500']['xlsx_ms']:7.1f} ms")
    ok = p["500"]["load_ms"] <= 3000
    print(f"target: Pyodide, 500 records loaded and tabulated <= 3000 ms -> {'met' if ok else 'NOT met'}"
          f" ({p['500']['load_ms']:.0f} ms; Pyodide/CPython {p['500']['load_ms'] / c['500']['load_ms']:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
