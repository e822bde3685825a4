"""The runtime package must load in Pyodide: stdlib + openpyxl only."""
from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import itaku

RUNTIME = sorted(
    m.name for m in pkgutil.walk_packages(itaku.__path__, "itaku.")
    if not m.name.startswith("itaku.build")
)


def test_runtime_modules_import_without_yaml_or_mkdocs():
    code = (
        "import sys\n"
        "for blocked in ('yaml', 'mkdocs', 'docx', 'lxml', 'markdown'):\n"
        "    sys.modules[blocked] = None\n"
        f"for name in {RUNTIME!r}:\n"
        "    __import__(name)\n"
        "print(len(sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).parent)
    assert run.returncode == 0, run.stderr
    assert len(RUNTIME) >= 3
