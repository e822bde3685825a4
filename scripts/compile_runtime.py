#!/usr/bin/env python3
"""The generator page's Python files, precompiled by Pyodide itself, into .cache/runtime.

Pyodide starts about three times faster from bytecode than from the ``.py`` files its stdlib
zip holds (the figures are in ARCHITECTURE.md). scripts/compile_runtime.mjs runs the pinned
Pyodide in node with our wheels installed, and scripts/compile_runtime_pyodide.py, inside it,
replaces each module the page imports by its ``.pyc`` and leaves out stdlib parts the page
never imports. Output: ``python_stdlib.zip``, the three wheels (same names) and
``manifest.json``; redone only when an input changed (their SHA-256 in ``.inputs.sha256``).
The MkDocs hook (overrides/hooks/generator_assets.py) ships these files and refuses stale ones.
Run by scripts/build after scripts/build_wheels.py.

    .venv/bin/python scripts/compile_runtime.py
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".cache/runtime"
STAMP = OUT / ".inputs.sha256"
LOCK = ROOT / "overrides/hooks/generator_assets.lock.json"
SCRIPTS = [ROOT / "scripts/compile_runtime.mjs", ROOT / "scripts/compile_runtime_pyodide.py"]


def wheel_paths() -> list[Path]:
    """Our wheel and the pinned ones, in .cache/wheels (scripts/build_wheels.py)."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    own = sorted((ROOT / ".cache/wheels").glob(lock["own_wheel"]))
    return [*own, *(ROOT / ".cache/wheels" / name for name in lock["wheels"])]


def inputs_hash(wheels: list[Path]) -> str:
    """SHA-256 over the Pyodide pins, the wheels and the two compile scripts."""
    h = hashlib.sha256()
    for path in [LOCK, *SCRIPTS, *wheels]:
        h.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return h.hexdigest()


def main() -> int:
    wheels = wheel_paths()
    missing = [str(p) for p in wheels if not p.is_file()]
    if missing or len(wheels) != 3:
        sys.exit(f"wheel がありません。scripts/build_wheels.py を先に実行してください / missing wheels: {missing}")
    want = inputs_hash(wheels)
    if STAMP.is_file() and STAMP.read_text().strip() == want:
        print("runtime: 変更なし、省略 / unchanged, skipped")
        return 0
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    run = subprocess.run(["node", str(SCRIPTS[0]), str(ROOT / lock["pyodide"]["source"]), str(SCRIPTS[1]),
                          str(OUT), *map(str, wheels)], cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("Pyodide でのコンパイルに失敗しました / precompiling in Pyodide failed:\n"
                 + run.stdout[-2000:] + "\n" + run.stderr[-3000:])
    manifest = json.loads((OUT / "manifest.json").read_text(encoding="utf-8"))
    STAMP.write_text(want + "\n")
    print(f"runtime: stdlib {len(manifest['stdlib_compiled'])} modules compiled, "
          f"{len(manifest['stdlib_dropped'])} files left out; wheels {len(manifest['packages_compiled'])} "
          f"modules compiled ({manifest['python'].split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
