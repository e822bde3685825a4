from __future__ import annotations

import os

os.environ.setdefault("OPENPYXL_LXML", "False")  # same XML as Pyodide (see itaku/__init__.py)

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Compile corpus.json before collection: the CLI, the runtime and test modules that load the
    corpus at import time read the packaged file, and a clean clone has none."""
    if hasattr(config, "workerinput"):
        return  # a pytest-xdist worker: the controller compiled it before starting the workers
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
