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


def _compile_module():  # noqa: ANN202 - a script module
    spec = importlib.util.spec_from_file_location("compile_runtime_pyodide", ROOT / "scripts/compile_runtime_pyodide.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return path


def test_precompiled_modules_import_without_their_source(tmp_path: Path) -> None:
    """A module the page imported becomes a sourceless .pyc that zipimport loads; others stay .py; DROP goes."""
    module = _compile_module()
    source = _zip(tmp_path / "in.zip", {"fast.py": "VALUE = 6 * 7\n", "slow.py": "VALUE = 'kept as source'\n",
                                        "pdb.py": "raise SystemExit('never shipped')\n"})
    target = tmp_path / "out.zip"
    dropped = module.rewrite(source, target, {"fast.py"}, str(target) + "/", 0, ("pdb.py",))
    assert dropped == ["pdb.py"]
    with zipfile.ZipFile(target) as z:
        assert z.namelist() == ["fast.pyc", "slow.py"]
        assert all(info.compress_type == zipfile.ZIP_STORED for info in z.infolist())
    code = (f"import sys; sys.path.insert(0, {str(target)!r}); import fast, slow; "
            "assert fast.VALUE == 42 and fast.__file__.endswith('fast.pyc'); print(slow.VALUE)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "kept as source"


def test_a_wheel_that_imports_a_dropped_module_is_caught(tmp_path: Path) -> None:
    module = _compile_module()
    wheel = _zip(tmp_path / "x-1-py3-none-any.whl", {"x/__init__.py": "import json\nfrom http import client\n",
                                                     "x/ok.py": "import http\nfrom urllib.parse import quote\n"})
    assert module.dropped_imports(wheel) == {"x/__init__.py: http.client"}
