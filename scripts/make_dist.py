#!/usr/bin/env python3
"""Package the built site as a reproducible zip for departments (stdlib only).

Usage: make_dist.py [--site site] [--out dist] [--version V] [--epoch N]

Writes OUT/itaku-site-VERSION.zip and OUT/itaku-site-VERSION.zip.sha256.
The zip holds every file of SITE under the top folder ``itaku-site/`` and
``itaku-site/SHA256SUMS`` (sha256 of every file, paths relative to
``itaku-site/``, sorted, in the format of ``sha256sum``: so
``cd itaku-site && sha256sum -c SHA256SUMS`` checks the unpacked copy).

Reproducible: the same site tree and epoch give the same bytes. Entries are
sorted by path, every entry carries the same timestamp (SOURCE_DATE_EPOCH,
else the last commit time, else 1980-01-01; never earlier than 1980, which is
the first date a zip can hold), fixed permissions (0644 files, 0755 folders),
no extra fields, deflate at a fixed level.
VERSION defaults to the corpus version in src/itaku/_data/corpus.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import time
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOP = "itaku-site"
ZIP_EPOCH_MIN = 315532800  # 1980-01-01T00:00:00Z


def default_epoch() -> int:
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        return int(env)
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ZIP_EPOCH_MIN


def corpus_version() -> str:
    path = ROOT / "src/itaku/_data/corpus.json"
    return json.loads(path.read_text(encoding="utf-8"))["version"]


def site_files(site: pathlib.Path) -> list[str]:
    """Paths of every regular file under site, relative, '/'-separated, sorted."""
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    return sorted(files)


def sha256_file(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _info(name: str, date_time: tuple[int, ...], mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.create_system = 3  # Unix, so external_attr carries the permissions
    info.external_attr = mode << 16
    if name.endswith("/"):
        info.external_attr |= 0x10  # MS-DOS directory flag
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_zip(site: pathlib.Path, zip_path: pathlib.Path, epoch: int) -> None:
    files = site_files(site)
    if "index.html" not in files:
        raise SystemExit(f"{site}/index.html がありません。先にサイトをビルドしてください / not built: {site}")
    sums = "".join(f"{sha256_file(site / f)}  {f}\n" for f in files).encode("utf-8")
    entries = {f: site / f for f in files}
    entries["SHA256SUMS"] = sums
    folders = {str(pathlib.PurePosixPath(f).parent) for f in entries} - {"."}
    # Every ancestor folder too, so unzip tools that need folder entries are happy.
    for folder in list(folders):
        parts = folder.split("/")
        folders.update("/".join(parts[:i]) for i in range(1, len(parts)))
    date_time = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]

    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_name(zip_path.name + ".tmp")
    names = [f"{TOP}/"] + [f"{TOP}/{d}/" for d in folders] + [f"{TOP}/{f}" for f in entries]
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(names):
            if name.endswith("/"):
                zf.writestr(_info(name, date_time, 0o40755), b"")
                continue
            source = entries[name[len(TOP) + 1:]]
            data = source if isinstance(source, bytes) else source.read_bytes()
            zf.writestr(_info(name, date_time, 0o100644), data, compresslevel=9)
    os.replace(tmp, zip_path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=pathlib.Path, default=ROOT / "site")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "dist")
    parser.add_argument("--version", default=None, help="default: corpus version")
    parser.add_argument("--epoch", type=int, default=None, help="default: SOURCE_DATE_EPOCH or last commit time")
    args = parser.parse_args(argv)
    version = args.version or corpus_version()
    epoch = default_epoch() if args.epoch is None else args.epoch
    zip_path = args.out / f"{TOP}-{version}.zip"
    make_zip(args.site, zip_path, epoch)
    digest = sha256_file(zip_path)
    (args.out / f"{zip_path.name}.sha256").write_text(f"{digest}  {zip_path.name}\n", encoding="utf-8")
    print(f"{zip_path}\nSHA256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
