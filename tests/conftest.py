from __future__ import annotations

import os

os.environ.setdefault("OPENPYXL_LXML", "False")  # same XML as Pyodide (see itaku/__init__.py)

import json
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# The properties draw new examples on every run ("explore", for a developer's pytest), except under
# ./scripts/test and CI ("ci"): there the same examples are drawn every time, so a stop's CI run is the
# run the developer saw pass, and an answer-space corner found by exploring becomes a test of its own.
# Settings objects made at a test module's import inherit the profile loaded here.
settings.register_profile("explore", print_blob=True)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("ITAKU_HYPOTHESIS", "explore"))


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
