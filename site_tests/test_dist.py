"""The distribution zip (scripts/make_dist.py) is reproducible and self-checking.

A strict build of the working tree into a temporary folder with the
SOURCE_DATE_EPOCH ./scripts/build used (the last commit's time unless set),
packaged by make_dist.py, must give the very zip ./scripts/build left in dist/,
whose SHA256SUMS matches every file; the footer shows the date of that epoch.
Also checks that ./scripts/build left dist/ consistent with site/.
"""
from __future__ import annotations

import calendar
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
MAKE_DIST = ROOT / "scripts" / "make_dist.py"
CORPUS = ROOT / "src" / "itaku" / "_data" / "corpus.json"
TOP = "itaku-site/"


def _version() -> str:
    return json.loads(CORPUS.read_text(encoding="utf-8"))["version"]


def _sums(data: bytes) -> dict[str, str]:
    """Parse SHA256SUMS in the format of sha256sum ("HEX  PATH" lines)."""
    sums = {}
    for line in data.decode("utf-8").splitlines():
        digest, sep, path = line.partition("  ")
        assert sep and len(digest) == 64, f"sha256sum の形式ではありません / not sha256sum format: {line!r}"
        sums[path] = digest
    assert list(sums) == sorted(sums), "SHA256SUMS のパスが整列していません / paths not sorted"
    return sums


def _check_zip(zip_path: pathlib.Path, epoch: int) -> dict[str, str]:
    """Entries sorted under itaku-site/, fixed time and modes, SHA256SUMS right; returns the sums."""
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names), "エントリが整列していません / entries not sorted"
        assert all(n.startswith(TOP) for n in names), [n for n in names if not n.startswith(TOP)][:5]
        stamp = time.gmtime(epoch - epoch % 2)[:6]  # zip times have 2-second steps
        for info in infos:
            assert info.date_time == stamp, (info.filename, info.date_time)
            mode = (info.external_attr >> 16) & 0o777
            assert mode == (0o755 if info.is_dir() else 0o644), (info.filename, oct(mode))
            assert not info.extra, (info.filename, info.extra)
        assert zf.testzip() is None
        sums = _sums(zf.read(TOP + "SHA256SUMS"))
        files = {n[len(TOP):] for n in names if not n.endswith("/")} - {"SHA256SUMS"}
        assert set(sums) == files, sorted(set(sums) ^ files)[:10]
        bad = [p for p, d in sums.items() if hashlib.sha256(zf.read(TOP + p)).hexdigest() != d]
        assert not bad, f"SHA256SUMS と中身が違います / wrong checksums: {bad[:10]}"
    side = zip_path.with_name(zip_path.name + ".sha256")
    digest = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    assert side.read_text(encoding="utf-8") == f"{digest}  {zip_path.name}\n"
    return sums


def _dist_zip() -> pathlib.Path:
    zip_path = ROOT / "dist" / f"itaku-site-{_version()}.zip"
    if not zip_path.is_file():
        pytest.fail(f"{zip_path} がありません。./scripts/build を実行してください / run ./scripts/build",
                    pytrace=False)
    return zip_path


def _epoch_of(zip_path: pathlib.Path) -> int:
    """The SOURCE_DATE_EPOCH the zip was made with, to its 2-second step."""
    with zipfile.ZipFile(zip_path) as zf:
        return calendar.timegm(zf.infolist()[0].date_time + (0, 0, 0))


def _build_epoch(zip_epoch: int) -> int:
    """The epoch ./scripts/build used: SOURCE_DATE_EPOCH when set, else the last commit's time (as there)."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if given:
        return int(given)
    commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
    return int(commit.stdout.strip()) if commit.returncode == 0 and commit.stdout.strip() else zip_epoch


def test_a_second_build_gives_the_zip_of_scripts_build(tmp_path: pathlib.Path) -> None:
    """Reproducible: a strict build of the working tree into a temporary folder, with the epoch
    ./scripts/build used, packaged by make_dist.py, is byte for byte the zip ./scripts/build left in
    dist/ (one more build, not two: scripts/test has just made the first)."""
    if not MKDOCS.is_file():
        pytest.fail(f"{MKDOCS} がありません。./scripts/build を実行してください / run ./scripts/build", pytrace=False)
    built = _dist_zip()
    epoch = _build_epoch(_epoch_of(built))
    if epoch - epoch % 2 != _epoch_of(built):
        pytest.fail("dist/ の zip は別の時刻（SOURCE_DATE_EPOCH）で作られています。./scripts/build でビルドし直してください / "
                    "dist/ was built with another SOURCE_DATE_EPOCH: rebuild with ./scripts/build", pytrace=False)
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), NO_MKDOCS_2_WARNING="1")
    site = tmp_path / "site"
    build = subprocess.run([str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(site)],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert build.returncode == 0, f"mkdocs build --strict が失敗しました / failed:\n{build.stdout}"
    out_dir = tmp_path / "dist"
    subprocess.run([sys.executable, str(MAKE_DIST), "--site", str(site), "--out", str(out_dir)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    again = out_dir / built.name

    assert again.read_bytes() == built.read_bytes(), (
        "同じ入力から違う zip ができました（作業ツリーを変えた後なら ./scripts/build でビルドし直してください） / "
        "zips differ (after editing the tree, rebuild with ./scripts/build)")
    sums = _check_zip(again, epoch)
    site_files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(sums) == site_files
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "コーパス" in index
    assert f'data-build-date="{time.strftime("%Y-%m-%d", time.gmtime(epoch))}"' in index

    # sha256sum -c accepts SHA256SUMS in the unpacked folder.
    if shutil.which("sha256sum"):
        unpacked = tmp_path / "unpacked"
        with zipfile.ZipFile(again) as zf:
            zf.extractall(unpacked)
        check = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=unpacked / TOP,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_build_script_wrote_the_zip_of_this_site(site_dir: pathlib.Path) -> None:
    """./scripts/build packages site/ into dist/itaku-site-VERSION.zip (+ .sha256)."""
    zip_path = _dist_zip()
    with zipfile.ZipFile(zip_path) as zf:
        sums = _sums(zf.read(TOP + "SHA256SUMS"))
    _check_zip(zip_path, _epoch_of(zip_path))
    site_sums = {p.relative_to(site_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in site_dir.rglob("*") if p.is_file()}
    assert sums == site_sums, (
        "dist/ の zip が site/ と違います。./scripts/build でビルドし直してください / "
        "the zip in dist/ does not match site/: rebuild with ./scripts/build"
    )
