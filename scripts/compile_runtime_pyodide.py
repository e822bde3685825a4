"""Runs inside Pyodide (started by scripts/compile_runtime.mjs): the generator page's Python, precompiled.

Pyodide's python_stdlib.zip holds only ``.py`` files, so every start compiles the ~200 modules
its bootstrap imports, and our wheels add ~150 more: about two thirds of ``loadPyodide()`` and
of importing ``itaku.web`` is that compiling. Here the page's own work is run once (every worked
example: state, all files, identify, record), every module it imported is replaced by its
bytecode (an unchecked hash-based ``.pyc`` next to where the ``.py`` was: zipimport and the
sourceless loader take it without looking for a source), and stdlib modules the page can never
import (``DROP``) are left out so that the download stays as small as before. Modules not
imported here stay ``.py`` and still work. Bytecode is made by this very interpreter, so its
magic number is the one the page runs.

Reads ``ITAKU_COMPILE`` (JSON set by the .mjs): ``wheels`` ([path in the virtual file system],
already unpacked into site-packages), ``out`` (a folder); the stdlib is read from the zip the
interpreter itself runs from. Writes ``out/python_stdlib.zip``,
``out/<wheel name>`` (entries stored: the page gzips each file whole) and ``out/manifest.json``.
"""
from __future__ import annotations

import ast
import importlib._bootstrap_external as bootstrap
import json
import site
import sys
import zipfile
from pathlib import Path

# Stdlib parts the page never imports (debuggers, test and build tools, servers and network clients,
# mail, GUI, databases, processes, pure-Python fallbacks of C modules). Names are zip entry
# prefixes. The build fails if the run below imports one, or if a module of the wheels names one
# in an import statement.
DROP = (
    "pdb.py", "bdb.py", "pydoc.py", "pydoc_data/", "doctest.py", "unittest/", "mailbox.py",
    "pickletools.py", "_pyio.py", "_pydecimal.py", "_pydatetime.py", "imaplib.py", "smtplib.py", "ftplib.py",
    "poplib.py", "nntplib.py", "turtle.py", "turtledemo/", "tkinter/", "idlelib/", "cProfile.py",
    "profile.py", "pstats.py", "trace.py", "timeit.py", "tabnanny.py", "pyclbr.py", "netrc.py", "sched.py",
    "shelve.py", "webbrowser.py", "zipapp.py", "sqlite3/", "xmlrpc/", "wsgiref/", "curses/", "dbm/",
    "venv/", "ensurepip/", "_pyrepl/", "lib2to3/", "http/server.py", "http/client.py", "http/cookiejar.py",
    "http/cookies.py", "urllib/request.py", "urllib/robotparser.py", "socketserver.py", "rlcompleter.py",
    "multiprocessing/", "ctypes/", "tarfile.py", "difflib.py", "optparse.py", "getopt.py",
    "statistics.py", "ipaddress.py", "configparser.py", "plistlib.py", "tomllib/", "wave.py",
    "compileall.py", "modulefinder.py", "cmd.py", "antigravity.py", "this.py", "__hello__.py",
    "__phello__/", "getpass.py", "pty.py", "symtable.py", "filecmp.py", "fileinput.py",
)
STDLIB_OPTIMIZE = 2  # docstrings and asserts out of the stdlib (CPython's own -OO mode)
WHEEL_OPTIMIZE = 2  # neither our code nor openpyxl reads docstrings or relies on assert


def exercise() -> None:
    """What the page does: start, draw every worked example, make and identify every file, record it."""
    import itaku.web as web

    web.set_edition(None)
    web.questionnaire()
    for n, example in enumerate(web.corpus().data.get("examples", [])):
        answers = example["answers"]
        web.state(answers)
        made = web.generate(answers)
        for data in made.get("files", {}).values():
            web.identify(bytes(data))
        web.record(answers)
        web.answers_file(answers)
        if n == 0:  # the checklist pages read a filled workbook back (openpyxl: writing no longer imports it)
            files = made["files"]
            web.import_checklist(bytes(files["checklist-after.xlsx"]), json.loads(bytes(files["job.json"])), "after")


def imported_names(source: bytes, module: str) -> set[str]:
    """Absolute names of the modules an import statement of this source names (and their parents)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {".".join(n.split(".")[:k]) for n in names for k in range(1, n.count(".") + 2)}


def dropped_imports(wheel: Path) -> set[str]:
    """Modules named in the wheel's import statements whose stdlib file DROP leaves out."""
    found = set()
    with zipfile.ZipFile(wheel) as zin:
        for name in zin.namelist():
            if name.endswith(".py"):
                for module in imported_names(zin.read(name), name):
                    path = module.replace(".", "/")
                    if (path + ".py").startswith(DROP) or (path + "/").startswith(DROP):
                        found.add(f"{name}: {module}")
    return found


def pyc(source: bytes, filename: str, optimize: int) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    return bytes(bootstrap._code_to_hash_pyc(code, b"\0" * 8, checked=False))


def rewrite(source: Path, target: Path, compiled: set[str], where: str, optimize: int,
            drop: tuple[str, ...] = ()) -> list[str]:
    """``source`` zip → ``target`` (stored), compiled entries as .pyc; returns the names left out."""
    dropped = []
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            name = info.filename
            if drop and name.startswith(drop) and name not in compiled:
                dropped.append(name)
                continue
            data = zin.read(info)
            if name in compiled and name.endswith(".py"):
                name, data = name + "c", pyc(data, where + name, optimize)
            entry = zipfile.ZipInfo(name, info.date_time)
            entry.external_attr = info.external_attr
            zout.writestr(entry, data)
    return dropped


def main() -> None:
    args = json.loads(sys.modules["__main__"].ITAKU_COMPILE)
    out = Path(args["out"])
    exercise()
    stdlib = next(p for p in sys.path if p.endswith(".zip"))
    stdlib_prefix = stdlib + "/"
    packages = site.getsitepackages()[0].rstrip("/") + "/"
    files = {getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}
    used_stdlib = {f[len(stdlib_prefix):] for f in files if f.startswith(stdlib_prefix)}
    used_packages = {f[len(packages):] for f in files if f.startswith(packages)}
    imported_dropped = sorted(n for n in used_stdlib if n.startswith(DROP))
    imported_dropped += sorted(set().union(*(dropped_imports(Path(w)) for w in args["wheels"])))
    if imported_dropped:
        raise SystemExit(f"DROP lists modules the page imports: {imported_dropped}")
    dropped = rewrite(Path(stdlib), out / "python_stdlib.zip", used_stdlib, stdlib_prefix,
                      STDLIB_OPTIMIZE, DROP)
    for wheel in args["wheels"]:
        rewrite(Path(wheel), out / Path(wheel).name, used_packages, packages, WHEEL_OPTIMIZE)
    manifest = {"python": sys.version, "stdlib_compiled": sorted(used_stdlib),
                "packages_compiled": sorted(used_packages), "stdlib_dropped": dropped}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":  # runPython runs it as __main__; the unit tests import it
    main()
