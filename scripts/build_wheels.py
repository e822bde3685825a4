#!/usr/bin/env python3
"""Wheels for the generator page (Pyodide in the browser), into .cache/wheels.

- our pure wheel ``itaku-*.whl``, built from src/ with ``python -m build --wheel``
  (only when pyproject.toml or a file under src/itaku changed since the last
  build: the inputs' SHA-256 is kept in .cache/wheels/.itaku-inputs.sha256),
  then re-packed without the build-time package ``itaku.build`` (the browser
  never imports it; pyproject.toml keeps it in the package, so the editable
  install that runs the MkDocs hooks is unchanged);
- ``openpyxl`` and ``et_xmlfile`` as pinned in
  overrides/hooks/generator_assets.lock.json (requirement + SHA-256), fetched
  with ``pip download`` only when missing or when the file's hash differs.

The MkDocs hook overrides/hooks/generator_assets.py takes the wheels from
here; run by scripts/build after the corpus is compiled (the corpus JSON is
part of our wheel).

    .venv/bin/python scripts/build_wheels.py
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHEELS = ROOT / ".cache/wheels"
LOCK = ROOT / "overrides/hooks/generator_assets.lock.json"
STAMP = WHEELS / ".itaku-inputs.sha256"
BUILD_ONLY = "itaku/build/"  # build-time code (corpus compiler, MkDocs hook): left out of the browser wheel


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def inputs_hash() -> str:
    """SHA-256 over pyproject.toml and every source/data file of the package (names and contents)."""
    h = hashlib.sha256()
    files = [ROOT / "pyproject.toml"] + sorted(
        p for p in (ROOT / "src/itaku").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    for path in files:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        h.update(sha256(path).encode() + b"\n")
    return h.hexdigest()


def strip_build_only(wheel: Path) -> None:
    """Rewrite the wheel without ``itaku/build/``: same entries, order and times otherwise; RECORD updated."""
    with zipfile.ZipFile(wheel) as source:
        entries = [(info, source.read(info)) for info in source.infolist() if not info.filename.startswith(BUILD_ONLY)]
    kept = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename.endswith(".dist-info/RECORD"):
                data = "".join(line for line in data.decode("utf-8").splitlines(keepends=True)
                               if not line.startswith(BUILD_ONLY)).encode("utf-8")
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            kept.append(info.filename)
    if any(name.startswith(BUILD_ONLY) for name in kept) or "itaku/web.py" not in kept:
        sys.exit(f"wheel の作り直しに失敗しました / re-packing {wheel.name} went wrong")


def own_wheel() -> Path:
    if not (ROOT / "src/itaku/_data/corpus.json").is_file():
        sys.exit("src/itaku/_data/corpus.json がありません。先に python -m itaku.build.corpus を実行してください / "
                 "missing corpus.json: run python -m itaku.build.corpus first")
    want = inputs_hash()
    existing = sorted(WHEELS.glob("itaku-*.whl"))
    if len(existing) == 1 and STAMP.is_file() and STAMP.read_text().strip() == want:
        print(f"itaku wheel: 変更なし、省略 / unchanged, skipped ({existing[0].name})")
        return existing[0]
    for old in existing:
        old.unlink()
    # setuptools copies into build/lib and never removes what is gone from src/: start clean.
    for stale in [ROOT / "build/lib", *ROOT.glob("build/bdist.*")]:
        shutil.rmtree(stale, ignore_errors=True)
    run = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(WHEELS), str(ROOT)],
                         cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"itaku の wheel を作れませんでした / building the itaku wheel failed:\n{run.stdout[-3000:]}"
                 f"\n{run.stderr[-3000:]}")
    built = sorted(WHEELS.glob("itaku-*.whl"))
    if len(built) != 1:
        sys.exit(f"wheel が1つではありません / expected one itaku wheel, found {built}")
    strip_build_only(built[0])
    STAMP.write_text(want + "\n")
    print(f"itaku wheel: 作成 / built {built[0].name}")
    return built[0]


def pinned_wheels() -> list[Path]:
    pins = json.loads(LOCK.read_text(encoding="utf-8"))["wheels"]
    out = []
    for name, pin in pins.items():
        path = WHEELS / name
        if not path.is_file() or sha256(path) != pin["sha256"]:
            path.unlink(missing_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
                            "--no-deps", "--only-binary=:all:", "--dest", str(WHEELS), pin["requirement"]],
                           check=True)
            if not path.is_file():
                sys.exit(f"{name} をダウンロードできませんでした / pip download did not produce {name}")
            got = sha256(path)
            if got != pin["sha256"]:
                path.unlink()
                sys.exit(f"{name} の SHA-256 が固定値と違います / SHA-256 mismatch for {name}: "
                         f"got {got}, pinned {pin['sha256']} ({LOCK.relative_to(ROOT)})")
            print(f"{name}: ダウンロード / downloaded (sha256 ok)")
        else:
            print(f"{name}: 固定値と一致、省略 / matches the pin, skipped")
        out.append(path)
    return out


def main() -> int:
    WHEELS.mkdir(parents=True, exist_ok=True)
    own_wheel()
    pinned_wheels()
    return 0


if __name__ == "__main__":
    sys.exit(main())
