from __future__ import annotations

import os

os.environ.setdefault("OPENPYXL_LXML", "False")  # same XML as Pyodide (see itaku/__init__.py)

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def compiled_corpus() -> None:
    """Compile corpus.json first: the CLI and runtime read the packaged file, and a clean clone has none."""
    from itaku.build.corpus import main

    assert main(["--root", str(ROOT)]) == 0


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def corpus() -> dict:
    """The compiled corpus (compiled fresh from the sources, never a stale file)."""
    from itaku.build.corpus import compile_corpus

    return json.loads(json.dumps(compile_corpus(ROOT), default=str))
