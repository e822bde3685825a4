#!/usr/bin/env python3
"""Benchmark: all outputs of one job, in CPython and in Pyodide under Node, in one run.

Prints the median times and their ratio. Machines are noisy: compare ratios
measured in the same run, not absolute numbers across runs. ``--jobs N`` also
times N different jobs generated one after another in the same process (the
worked examples in turn, each with its own 業務名), ``--parties N`` one job let to N
counterparties (the worked example meter-reading-districts with N rows: every set and the
job's documents.zip, as ``itaku.sets.generate`` makes them), and both runtimes hash every
file of the example's job: the bytes must be the same in CPython and Pyodide.

    .venv/bin/python scripts/bench_generate.py [--example call-centre] [--runs 15] [--jobs 16] [--parties 16]
Needs: node_modules/pyodide (npm ci); the wheels in .cache/wheels are brought up to date by scripts/build_wheels.py.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / ".cache/wheels"

BENCH_PY = r"""
import hashlib, json, time, statistics
from itaku import model
from itaku.outputs import generate
try:  # Pyodide under Node: the process's CPU time (time.process_time is the wall clock there)
    from js import process as _node
    def cpu():
        used = _node.cpuUsage()
        return (used.user + used.system) / 1e6
except ImportError:
    cpu = time.process_time
corpus = model.load()
example = next(e for e in corpus.data["examples"] if e["id"] == EXAMPLE)
def once():
    t, c = time.perf_counter(), cpu()
    files = generate(corpus, example["answers"])
    return time.perf_counter() - t, cpu() - c, files
first, _, files = once()
for _ in range(2):
    once()  # warm-up
runs = [once()[:2] for _ in range(RUNS)]
times = [wall for wall, _ in runs]
result = {"first_ms": first * 1000, "median_ms": statistics.median(times) * 1000,
          "min_ms": min(times) * 1000, "cpu_median_ms": statistics.median(c for _, c in runs) * 1000,
          "files": len(files), "bytes": sum(len(v) for v in files.values()),
          "sha256": hashlib.sha256(b"".join(n.encode() + b"\0" + files[n] for n in sorted(files))).hexdigest()}
if JOBS:
    examples = corpus.data["examples"]
    jobs = [dict(examples[n % len(examples)]["answers"]) for n in range(JOBS)]
    for n, answers in enumerate(jobs):
        answers["work_name"] = f"{answers['work_name']}（{n + 1}）"
    t, c = time.perf_counter(), cpu()
    for answers in jobs:
        generate(corpus, answers)
    result["jobs_ms"], result["jobs_cpu_ms"] = (time.perf_counter() - t) * 1000, (cpu() - c) * 1000
if PARTIES:
    from itaku import sets
    base = dict(next(e for e in corpus.data["examples"] if e["id"] == "meter-reading-districts")["answers"])
    base["record_count"] = 100 * PARTIES
    base["counterparties"] = [{"name": f"サンプル事業者{n + 1:02d}", "address": f"○○町{n + 1}丁目",
                               "record_count": 40 + 60 * n} for n in range(PARTIES)]  # some over 1,000, some not
    sets.generate(corpus, base)  # warm-up
    t, c = time.perf_counter(), cpu()
    made = sets.generate(corpus, base)
    result["parties_ms"], result["parties_cpu_ms"] = (time.perf_counter() - t) * 1000, (cpu() - c) * 1000
    result["parties_files"] = len(made)
"""

NODE = r"""
const fs = require("fs");
const path = require("path");
const { loadPyodide } = require(process.argv[2]);
(async () => {
  const t0 = performance.now();
  const py = await loadPyodide({ indexURL: path.dirname(process.argv[2]) + "/" });
  const t1 = performance.now();
  const site = py.runPython("import site; site.getsitepackages()[0]");
  for (const wheel of JSON.parse(process.argv[3])) {
    py.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: site });
  }
  py.runPython("import importlib; importlib.invalidate_caches(); import openpyxl, itaku.outputs");
  const t2 = performance.now();
  py.runPython(fs.readFileSync(process.argv[4], "utf8"));
  const result = py.globals.get("result").toJs({ dict_converter: Object.fromEntries });
  result.start_ms = t1 - t0;
  result.import_ms = t2 - t1;
  console.log(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def ensure_wheels() -> list[Path]:
    """The wheels the generator page installs: scripts/build_wheels.py (our wheel without itaku.build, pinned others)."""
    WHEELS.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "itaku.build.corpus", "--root", str(ROOT)], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, str(ROOT / "scripts/build_wheels.py")], check=True, stdout=subprocess.DEVNULL)
    return sorted(WHEELS.glob("*.whl"))


def cpython(example: str, runs: int, jobs: int, parties: int = 0) -> dict:
    scope: dict = {"EXAMPLE": example, "RUNS": runs, "JOBS": jobs, "PARTIES": parties}
    exec(BENCH_PY, scope)  # noqa: S102 - our own benchmark code, the same text Pyodide runs
    return scope["result"]


def pyodide(example: str, runs: int, jobs: int, wheels: list[Path], parties: int = 0) -> dict:
    loader = ROOT / "node_modules/pyodide/pyodide.js"
    if not loader.exists():
        sys.exit("node_modules/pyodide is missing: run npm ci first")
    with tempfile.TemporaryDirectory() as tmp:
        js, py = Path(tmp) / "bench.js", Path(tmp) / "bench.py"
        js.write_text(NODE)
        py.write_text(f"EXAMPLE = {example!r}\nRUNS = {runs}\nJOBS = {jobs}\nPARTIES = {parties}\n" + BENCH_PY)
        run = subprocess.run(["node", str(js), str(loader), json.dumps([str(w) for w in wheels]), str(py)],
                             capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        sys.exit(f"Pyodide benchmark failed:\n{run.stderr[-2000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", default="call-centre")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--jobs", type=int, default=0, help="also time this many jobs in one process (e.g. 16)")
    parser.add_argument("--parties", type=int, default=0, help="also time one job with this many counterparties (e.g. 16)")
    args = parser.parse_args()
    wheels = ensure_wheels()
    sys.path.insert(0, str(ROOT / "src"))
    c = cpython(args.example, args.runs, args.jobs, args.parties)
    p = pyodide(args.example, args.runs, args.jobs, wheels, args.parties)
    print(f"job: {args.example}, {c['files']} files, {c['bytes']:,} bytes, {args.runs} timed runs after warm-up")
    print(f"CPython : first {c['first_ms']:7.1f} ms   median {c['median_ms']:7.1f} ms   min {c['min_ms']:7.1f} ms"
          f"   CPU median {c['cpu_median_ms']:7.1f} ms")
    print(f"Pyodide : first {p['first_ms']:7.1f} ms   median {p['median_ms']:7.1f} ms   min {p['min_ms']:7.1f} ms"
          f"   CPU median {p['cpu_median_ms']:7.1f} ms   (start {p['start_ms']:.0f} ms, wheels+import {p['import_ms']:.0f} ms)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: with more runnable processes than cores, "
          "the wall times wait for a core and the CPU times are the closer measure")
    from itaku import model
    from itaku.answers import question_counts, validate
    corpus = model.load()
    for e in corpus.data["examples"]:
        questions, fields = question_counts(corpus, validate(corpus, e["answers"]).values)
        print(f"questions shown: {e['id']:28s} {questions:3d} questions ({fields} answer fields with follow-ups), limit 25")
    print(f"ratio Pyodide/CPython (median): {p['median_ms'] / c['median_ms']:.2f}x wall, "
          f"{p['cpu_median_ms'] / c['cpu_median_ms']:.2f}x CPU   target: Pyodide median <= 300 ms "
          f"-> wall {'met' if p['median_ms'] <= 300 else 'NOT met'}, CPU {'met' if p['cpu_median_ms'] <= 300 else 'NOT met'}")
    if args.jobs:
        limit = args.jobs * 3000 / 16
        print(f"{args.jobs} jobs in one process: CPython {c['jobs_ms']:7.1f} ms (CPU {c['jobs_cpu_ms']:7.1f})   "
              f"Pyodide {p['jobs_ms']:7.1f} ms (CPU {p['jobs_cpu_ms']:7.1f})   ratio {p['jobs_ms'] / c['jobs_ms']:.2f}x   "
              f"target: Pyodide <= {limit:.0f} ms -> wall {'met' if p['jobs_ms'] <= limit else 'NOT met'}, "
              f"CPU {'met' if p['jobs_cpu_ms'] <= limit else 'NOT met'}")
    if args.parties:
        print(f"one job with {args.parties} counterparties ({c['parties_files']} files: every set and the job's documents.zip): "
              f"CPython {c['parties_ms']:7.1f} ms (CPU {c['parties_cpu_ms']:7.1f})   Pyodide {p['parties_ms']:7.1f} ms "
              f"(CPU {p['parties_cpu_ms']:7.1f})   target: Pyodide <= 3000 ms -> wall "
              f"{'met' if p['parties_ms'] <= 3000 else 'NOT met'}, CPU {'met' if p['parties_cpu_ms'] <= 3000 else 'NOT met'}")
    same = c["sha256"] == p["sha256"]
    print(f"same bytes in CPython and Pyodide ({args.example}, every file): {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
