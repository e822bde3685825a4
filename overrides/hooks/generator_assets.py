"""MkDocs hook: everything the generator page (仕様書を作る) needs, added to the build in memory.

- ``assets/vendor/pyodide/``: pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm,
  python_stdlib.zip, pyodide-lock.json, copied verbatim from
  ``node_modules/pyodide`` after checking each file's SHA-256 against
  ``generator_assets.lock.json`` (the http route loads them as they are);
- ``assets/generator/wheels/``: our wheel (``scripts/build_wheels.py``; must be
  built from the current sources) and the pinned openpyxl / et_xmlfile wheels
  (SHA-256 checked);
- ``assets/generator/config.js``: the wheel names and the Pyodide version;
- ``assets/generator/file/*.js``: the file:// route (see docs/assets/generator/loader.js).
  Chromium refuses fetch(), module imports and workers of file:// URLs but runs
  classic ``<script>`` tags, so each is a classic script that sets one global
  string: ``runtime.js`` holds one ES-module source made of pyodide.asm.mjs and
  pyodide.mjs (each wrapped in a function, their ``export`` turned into a
  ``return``, ``import.meta.url`` replaced by the absolute index URL the page
  passes, the unused CDN default removed) followed by
  docs/assets/generator/worker.js; ``wasm.js``, ``stdlib.js``, ``wheels.js``
  hold base64;
- ``generator/examples/<id>/``: ready-made document sets (every output plus
  answers.json) for the worked examples marked ``fallback``, made with
  ``itaku.outputs.generate`` exactly as the CLI does, linked from the page for
  browsers that cannot run Python.

A missing or altered file fails the build with a message saying what to run.
"""
from __future__ import annotations

import base64
import fnmatch
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

PYODIDE_DIR = "assets/vendor/pyodide/"
GENERATOR_DIR = "assets/generator/"
EXAMPLES_DIR = "generator/examples/"
PAGE = "generator/index.md"
MARKER = "<!-- itaku:fallback-examples -->"
CDN = re.compile(r"unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com")

# Japanese names of the outputs, in the order the page lists them.
OUTPUT_LABELS = {
    "documents.zip": "この業務の文書一式（ZIP）",
    "specification.docx": "個人情報取扱特記事項（特記仕様書）",
    "checklist-before.xlsx": "遵守確認表（契約前）",
    "checklist-after.xlsx": "遵守確認表（契約後）",
    "checklist-selection.xlsx": "委託先選定時の確認表",
    "supervision-plan.docx": "監督計画",
    "internal-approval.docx": "委託前の協議・承認（庁内）",
    "notices.docx": "事業者への通知文（周知文・自己点検の依頼）",
    "contract-clauses.docx": "契約書本文の条文例・締結前の点検票",
    "forms.docx": "様式集",
    "approvals.docx": "承諾申請書・承諾書",
    "inspection.docx": "確認・検査の記録（実地調査・検査調書・三点の確認）",
    "reoutsourcing-application.docx": "再委託承認申請書",
    "reoutsourcing-approval.docx": "再委託承認書",
    "deviations.docx": "変更理由一覧",
    "answers.json": "回答ファイル",
    "job.json": "業務記録ファイル",
}

_state: dict[str, Any] = {}


def _root(config) -> Path:  # noqa: ANN001
    return Path(config.config_file_path).resolve().parent


def _fail(ja: str, en: str) -> PluginError:
    return PluginError(f"仕様書を作るページの資材 / generator page assets: {ja} / {en}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_checked(path: Path, want: str | None, hint_ja: str, hint_en: str) -> bytes:
    if not path.is_file():
        raise _fail(f"{path} がありません。{hint_ja}", f"{path} is missing: {hint_en}")
    data = path.read_bytes()
    if want is not None and sha256(data) != want:
        raise _fail(f"{path} の SHA-256 が固定値と違います（{sha256(data)}）。{hint_ja}",
                    f"SHA-256 of {path} differs from the pinned value {want}: {hint_en}")
    return data


def _global_script(name: str, value: str) -> str:
    """A classic script that sets ITAKU_FILE[name] to a string (json.dumps: a valid JS string literal)."""
    return f"(globalThis.ITAKU_FILE = globalThis.ITAKU_FILE || {{}})[{json.dumps(name)}] = {json.dumps(value)};\n"


def file_runtime(pyodide_mjs: str, asm_mjs: str, worker_js: str) -> str:
    """One ES-module source (for a data: URL worker or an inline module script) holding Pyodide and our worker."""
    asm = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", asm_mjs)
    if asm.count("export default _createPyodideModule;") != 1:
        raise _fail("pyodide.asm.mjs の形が想定と違います", "pyodide.asm.mjs no longer ends with its default export")
    asm = asm.replace("export default _createPyodideModule;", "return _createPyodideModule;")
    asm = asm.replace("import.meta.url", '(globalThis.__itakuIndexURL + "pyodide.asm.mjs")')
    mjs = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", pyodide_mjs)
    exports = re.findall(r"export\{([^}]*)\};?", mjs)
    if len(exports) != 1:
        raise _fail("pyodide.mjs の export が想定と違います", "pyodide.mjs: expected exactly one export list")
    names = []
    for part in exports[0].split(","):
        local, _, public = part.strip().partition(" as ")
        names.append(f"{json.dumps(public or local)}: {local}")
    mjs = re.sub(r"export\{[^}]*\};?", "return {" + ", ".join(names) + "};", mjs)
    # The default package CDN is never used (no package is loaded from the lock file); keep it out of the site.
    mjs = re.sub(r"`https:/{2}cdn\.jsdelivr\.net/pyodide/v\$\{\w+\}/full/`", '"./"', mjs)
    source = (
        "// Generated by overrides/hooks/generator_assets.py from npm pyodide (see generator_assets.lock.json).\n"
        "globalThis.__itakuRuntime = {\n"
        f"createPyodideModule: (() => {{\n{asm}\n}})(),\n"
        f"pyodide: (() => {{\n{mjs}\n}})(),\n"
        "};\n" + worker_js)
    problems = [p for p in ("import.meta", "sourceMappingURL") if p in source]
    if re.search(r"(^|[;}\n])\s*(export|import)\b\s*[{*\w\"']", source.replace("import(", "")):
        problems.append("static import/export")
    if CDN.search(source):
        problems.append("CDN URL")
    if problems:
        raise _fail(f"file:// 用ランタイムを作れません: {problems}", f"cannot make the file:// runtime: {problems}")
    return source


def _own_wheel(root: Path, wheels_dir: Path, pattern: str) -> Path:
    found = sorted(p for p in wheels_dir.glob("*.whl") if fnmatch.fnmatch(p.name, pattern))
    if len(found) != 1:
        raise _fail(f"{wheels_dir} に itaku の wheel がちょうど1つ必要です（{[p.name for p in found]}）。"
                    "scripts/build_wheels.py を実行してください",
                    "need exactly one itaku wheel: run scripts/build_wheels.py")
    import importlib.util
    spec = importlib.util.spec_from_file_location("_itaku_build_wheels", root / "scripts/build_wheels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    stamp = wheels_dir / ".itaku-inputs.sha256"
    if not stamp.is_file() or stamp.read_text().strip() != module.inputs_hash():
        raise _fail("itaku の wheel が現在のソース（src/itaku, corpus.json）から作られていません。"
                    "scripts/build_wheels.py を実行してください",
                    "the itaku wheel is older than src/itaku (or corpus.json): run scripts/build_wheels.py")
    return found[0]


def fallback_sets(root: Path) -> dict[str, dict[str, Any]]:
    """{example id: {"title", "files": {name: bytes}}} for the examples marked fallback, as the CLI makes them."""
    from itaku import model
    from itaku.outputs import generate

    corpus = model.Corpus(json.loads((root / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))
    sets = {}
    for example in corpus.data.get("examples", []):
        if example.get("fallback"):
            sets[example["id"]] = {"title": example["title"], "files": generate(corpus, example["answers"])}
    if not sets:
        raise _fail("fallback: true の記入例がありません", "no worked example is marked fallback: true")
    return sets


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - MkDocs hook signature
    root = _root(config)
    lock_path = Path(__file__).with_name("generator_assets.lock.json")
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    hint = ("./scripts/build（npm ci）を実行するか、package-lock.json と generator_assets.lock.json を合わせてください",
            "run ./scripts/build (npm ci), or update package-lock.json and generator_assets.lock.json together")

    def add(path: str, content: str | bytes) -> None:
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))

    runtime: dict[str, bytes] = {}
    source = root / lock["pyodide"]["source"]
    for name, want in lock["pyodide"]["files"].items():
        runtime[name] = _read_checked(source / name, want, *hint)
        add(PYODIDE_DIR + name, runtime[name])

    wheels_dir = root / ".cache/wheels"
    wheel_hint = ("scripts/build_wheels.py を実行してください", "run scripts/build_wheels.py")
    wheels: dict[str, bytes] = {}
    for name, pin in lock["wheels"].items():
        wheels[name] = _read_checked(wheels_dir / name, pin["sha256"], *wheel_hint)
    own = _own_wheel(root, wheels_dir, lock["own_wheel"])
    wheels[own.name] = _read_checked(own, None, *wheel_hint)
    for name, data in wheels.items():
        add(GENERATOR_DIR + "wheels/" + name, data)

    worker_path = Path(config.docs_dir) / "assets/generator/worker.js"
    worker_js = _read_checked(worker_path, None, "リポジトリを確認してください", "check the repository").decode("utf-8")
    config_js = {
        "pyodideVersion": lock["pyodide"]["version"],
        "wheels": list(wheels),
        "outputs": OUTPUT_LABELS,
    }
    add(GENERATOR_DIR + "config.js",
        "// Generated by overrides/hooks/generator_assets.py\n"
        f"globalThis.ITAKU_GENERATOR_CONFIG = {json.dumps(config_js, ensure_ascii=False, indent=1)};\n")
    add(GENERATOR_DIR + "file/runtime.js",
        _global_script("runtime", file_runtime(runtime["pyodide.mjs"].decode("utf-8"),
                                                runtime["pyodide.asm.mjs"].decode("utf-8"), worker_js))
        + _global_script("lock", runtime["pyodide-lock.json"].decode("utf-8")))
    add(GENERATOR_DIR + "file/wasm.js", _global_script("wasm", base64.b64encode(runtime["pyodide.asm.wasm"]).decode()))
    add(GENERATOR_DIR + "file/stdlib.js",
        _global_script("stdlib", base64.b64encode(runtime["python_stdlib.zip"]).decode()))
    add(GENERATOR_DIR + "file/wheels.js", "".join(
        _global_script("wheel:" + name, base64.b64encode(data).decode()) for name, data in wheels.items()))

    sets = fallback_sets(root)
    for example_id, entry in sets.items():
        for name, data in entry["files"].items():
            add(f"{EXAMPLES_DIR}{example_id}/{name}", data)
    _state["sets"] = sets
    return files


def fallback_links(sets: dict[str, dict[str, Any]]) -> str:
    """HTML list of the ready-made sets (relative to generator/index.html)."""
    parts = ['<div class="itaku-fallback-sets">']
    for example_id, entry in sets.items():
        parts.append(f'<h3 id="fallback-{html.escape(example_id)}">{html.escape(entry["title"])}</h3><ul>')
        names = [n for n in OUTPUT_LABELS if n in entry["files"]] + sorted(set(entry["files"]) - set(OUTPUT_LABELS))
        for name in names:
            href = html.escape(f"examples/{example_id}/{name}")
            label = html.escape(OUTPUT_LABELS.get(name, name))
            parts.append(f'<li><a href="{href}" download>{label}（{html.escape(name)}）</a></li>')
        parts.append("</ul>")
    parts.append("</div>")
    return "\n".join(parts)


def on_page_markdown(markdown: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook signature
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        raise _fail(f"{PAGE} に {MARKER} がありません", f"{PAGE} lacks the marker {MARKER}")
    return markdown.replace(MARKER, fallback_links(_state["sets"]))
