"""What the generator page's Python runtime loads before it is ready (issue 16): less is faster."""
from __future__ import annotations

import importlib.util
import io
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_page_api_leaves_openpyxl_for_later() -> None:
    """The generator page is ready once itaku.web is imported; openpyxl (~0.6 s in Pyodide) comes after."""
    code = "import sys, itaku.web; sys.exit('openpyxl' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_browser_wheel_leaves_out_the_build_package(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_wheels", ROOT / "scripts/build_wheels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    wheel = tmp_path / "itaku-0.1.0-py3-none-any.whl"
    record = "itaku/web.py,sha256=x,1\nitaku/build/corpus.py,sha256=y,2\nitaku-0.1.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("itaku/web.py", "x")
        z.writestr("itaku/build/corpus.py", "y")
        z.writestr("itaku-0.1.0.dist-info/RECORD", record)
    module.strip_build_only(wheel)
    with zipfile.ZipFile(wheel) as z:
        assert z.namelist() == ["itaku/web.py", "itaku-0.1.0.dist-info/RECORD"]
        assert "itaku/build" not in z.read("itaku-0.1.0.dist-info/RECORD").decode()
    with zipfile.ZipFile(io.BytesIO(wheel.read_bytes())) as z:
        assert z.testzip() is None
