"""MkDocs hook: everything the generator page (仕様書を作る) needs, added to the build in memory.

- ``assets/generator/runtime/*.js``: the Python runtime, one route for http and
  file://. Chromium refuses fetch(), module imports and workers of file:// URLs
  but runs classic ``<script>`` tags, so each file is a classic script that sets
  strings in ``globalThis.ITAKU_FILE``, each the base64 of a gzip (deterministic:
  level 9, no time), decompressed in the page with ``DecompressionStream``
  (docs/assets/generator/loader.js):
  ``runtime.js``: ``runtime`` (one ES-module source made of pyodide.asm.mjs and
  pyodide.mjs, each wrapped in a function, their ``export`` turned into a
  ``return``, ``import.meta.url`` replaced by the absolute index URL the page
  passes, the unused CDN default removed, followed by
  docs/assets/generator/worker.js) and ``lock`` (pyodide-lock.json);
  ``wasm.js``: ``wasm`` (pyodide.asm.wasm); ``stdlib.js``: ``stdlib``
  (python_stdlib.zip); ``wheels.js``: ``wheel:NAME`` for our wheel
  (``scripts/build_wheels.py``, must be built from the current sources;
  ``itaku.build`` is not in it) and the pinned openpyxl / et_xmlfile wheels.
  The stdlib zip and the wheels are shipped as ``scripts/compile_runtime.py``
  left them in ``.cache/runtime``: the modules the page imports precompiled by
  Pyodide itself, unused stdlib parts left out, entries stored (gzip compresses
  them better as a whole; zipimport reads them without inflating). The npm
  files and the wheels are checked against ``generator_assets.lock.json``
  first; no raw copy of them is shipped.
- ``assets/generator/config.js``: the wheel names, the Pyodide version, the output labels;
- the questionnaire, the example list and the download buttons of
  ``generator/index.html``, rendered here from ``itaku.web.questionnaire()`` by
  ``itaku.build.form_html`` (the page's only renderer of the form);
- ``generator/examples/<id>/``: ready-made document sets (every output plus
  answers.json) for the worked examples marked ``fallback``, made with
  ``itaku.outputs.generate`` exactly as the CLI does, linked from the page for
  browsers that cannot run Python.
- files the site never loads are left out: the theme's copy of ``hooks/`` (this
  folder sits in the theme's custom_dir), the theme's source maps (``*.map``)
  and ``assets/generator/worker.js`` (inside ``runtime.js``).

A missing or altered file fails the build with a message saying what to run.
"""
from __future__ import annotations

import base64
import fnmatch
import gzip
import hashlib
import html
import io
import json
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

GENERATOR_DIR = "assets/generator/"
RUNTIME_DIR = GENERATOR_DIR + "runtime/"
EXAMPLES_DIR = "generator/examples/"
PAGE = "generator/index.md"
MARKER = "<!-- itaku:fallback-examples -->"
# Replaced in the generator page's HTML by itaku.build.form_html (after Markdown).
FORM_MARKERS = ("<!-- itaku:questionnaire -->", "<!-- itaku:removable -->", "<!-- itaku:examples -->",
                "<!-- itaku:downloads -->")
EVERYTHING = "documents.zip"  # the one-click download of every file, when the runtime produces it
CDN = re.compile(r"unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com")

# Japanese names of the outputs, in the order the page lists them.
OUTPUT_LABELS = {
    "documents.zip": "すべての文書をまとめてダウンロード",
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
    "deviations.docx": "条文の採否一覧",
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


def _packed_script(name: str, data: bytes, cache: Path) -> str:
    """``_global_script`` of base64(gzip(data)); the gzip (seconds for the wasm) is cached by content hash."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / (sha256(data) + ".gz")
    if path.is_file():
        packed = path.read_bytes()
    else:
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # builds may run in parallel (site_tests/test_dist.py)
        partial.write_bytes(packed)
        os.replace(partial, path)
    return _global_script(name, base64.b64encode(packed).decode("ascii"))


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


def _script(root: Path, name: str) -> Any:
    """scripts/NAME.py as a module: its ``inputs_hash`` tells whether what it made is current."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("_itaku_" + name, root / f"scripts/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _own_wheel(root: Path, wheels_dir: Path, pattern: str) -> Path:
    found = sorted(p for p in wheels_dir.glob("*.whl") if fnmatch.fnmatch(p.name, pattern))
    if len(found) != 1:
        raise _fail(f"{wheels_dir} に itaku の wheel がちょうど1つ必要です（{[p.name for p in found]}）。"
                    "scripts/build_wheels.py を実行してください",
                    "need exactly one itaku wheel: run scripts/build_wheels.py")
    module = _script(root, "build_wheels")
    stamp = wheels_dir / ".itaku-inputs.sha256"
    if not stamp.is_file() or stamp.read_text().strip() != module.inputs_hash():
        raise _fail("itaku の wheel が現在のソース（src/itaku, corpus.json）から作られていません。"
                    "scripts/build_wheels.py を実行してください",
                    "the itaku wheel is older than src/itaku (or corpus.json): run scripts/build_wheels.py")
    return found[0]


def _compiled(root: Path, wheels: dict[str, bytes]) -> dict[str, bytes]:
    """The stdlib zip and the wheels as scripts/compile_runtime.py precompiled them (refused when stale)."""
    module = _script(root, "compile_runtime")
    out, stamp = module.OUT, module.STAMP
    if not stamp.is_file() or stamp.read_text().strip() != module.inputs_hash(module.wheel_paths()):
        raise _fail("コンパイル済みの Python（.cache/runtime）が現在の wheel と Pyodide に合いません。"
                    "scripts/compile_runtime.py を実行してください",
                    "the precompiled runtime in .cache/runtime is stale: run scripts/compile_runtime.py")
    hint = ("scripts/compile_runtime.py を実行してください", "run scripts/compile_runtime.py")
    return {name: _read_checked(out / name, None, *hint) for name in ["python_stdlib.zip", *wheels]}


def example_outputs(root: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """The ready-made sets and what the download area lists, from every worked example, as the CLI makes them.

    Sets: {example id: {"title", "files": {name: bytes}}} for the examples marked fallback.
    Outputs: {"labels": {name: label} in page order (OUTPUT_LABELS, else the document's title),
    "always": names every example produces}; files only some answers produce start hidden.
    """
    from itaku import model
    from itaku.answers import validate
    from itaku.contents import documents, sheets
    from itaku.job import build_job
    from itaku.outputs import build_outputs

    corpus = model.Corpus(json.loads((root / "src/itaku/_data/corpus.json").read_text(encoding="utf-8")))
    sets: dict[str, dict[str, Any]] = {}
    titles: dict[str, str] = {}
    seen: list[set[str]] = []
    for example in corpus.data.get("examples", []):
        job = build_job(corpus, validate(corpus, example["answers"]))
        files = build_outputs(job)
        seen.append(set(files))
        titles.update({d.name: d.title for d in [*documents(job), *sheets(job)]})
        if example.get("fallback"):
            sets[example["id"]] = {"title": example["title"], "files": files}
    if not sets:
        raise _fail("fallback: true の記入例がありません", "no worked example is marked fallback: true")
    produced = set().union(*seen)
    names = [n for n in OUTPUT_LABELS if n in produced] + sorted(produced - set(OUTPUT_LABELS))
    labels = {n: OUTPUT_LABELS.get(n) or titles.get(n) or n for n in names}
    return sets, {"labels": labels, "always": sorted(set.intersection(*seen))}


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - MkDocs hook signature
    root = _root(config)
    lock_path = Path(__file__).with_name("generator_assets.lock.json")
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    hint = ("./scripts/build（npm ci）を実行するか、package-lock.json と generator_assets.lock.json を合わせてください",
            "run ./scripts/build (npm ci), or update package-lock.json and generator_assets.lock.json together")

    def add(path: str, content: str | bytes) -> None:
        files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.NOT_IN_NAV))

    # Files the site never loads (see the module docstring).
    for file in list(files):
        if file.src_uri.startswith("hooks/") or file.src_uri.endswith(".map") \
                or file.src_uri == GENERATOR_DIR + "worker.js":
            files.remove(file)

    runtime: dict[str, bytes] = {}
    source = root / lock["pyodide"]["source"]
    for name, want in lock["pyodide"]["files"].items():
        runtime[name] = _read_checked(source / name, want, *hint)

    wheels_dir = root / ".cache/wheels"
    wheel_hint = ("scripts/build_wheels.py を実行してください", "run scripts/build_wheels.py")
    wheels: dict[str, bytes] = {}
    for name, pin in lock["wheels"].items():
        wheels[name] = _read_checked(wheels_dir / name, pin["sha256"], *wheel_hint)
    own = _own_wheel(root, wheels_dir, lock["own_wheel"])
    wheels[own.name] = _read_checked(own, None, *wheel_hint)
    compiled = _compiled(root, wheels)

    worker_path = Path(config.docs_dir) / "assets/generator/worker.js"
    worker_js = _read_checked(worker_path, None, "リポジトリを確認してください", "check the repository").decode("utf-8")
    sets, outputs = example_outputs(root)
    config_js = {
        "pyodideVersion": lock["pyodide"]["version"],
        "wheels": list(wheels),
        "outputs": outputs["labels"],
    }
    add(GENERATOR_DIR + "config.js",
        "// Generated by overrides/hooks/generator_assets.py\n"
        f"globalThis.ITAKU_GENERATOR_CONFIG = {json.dumps(config_js, ensure_ascii=False, indent=1)};\n")
    cache = root / ".cache/generator-gz"
    source_js = file_runtime(runtime["pyodide.mjs"].decode("utf-8"), runtime["pyodide.asm.mjs"].decode("utf-8"),
                             worker_js)
    add(RUNTIME_DIR + "runtime.js", _packed_script("runtime", source_js.encode("utf-8"), cache)
        + _packed_script("lock", runtime["pyodide-lock.json"], cache))
    add(RUNTIME_DIR + "wasm.js", _packed_script("wasm", runtime["pyodide.asm.wasm"], cache))
    add(RUNTIME_DIR + "stdlib.js", _packed_script("stdlib", compiled["python_stdlib.zip"], cache))
    add(RUNTIME_DIR + "wheels.js", "".join(_packed_script("wheel:" + name, compiled[name], cache)
                                           for name in wheels))

    for example_id, entry in sets.items():
        for name, data in entry["files"].items():
            add(f"{EXAMPLES_DIR}{example_id}/{name}", data)
    _state["sets"] = sets
    _state["outputs"] = outputs
    return files


def fallback_links(sets: dict[str, dict[str, Any]]) -> str:
    """HTML list of the ready-made sets (relative to generator/index.html)."""
    parts = ['<div class="itaku-fallback-sets">']
    for example_id, entry in sets.items():
        parts.append(f'<h3 id="fallback-{html.escape(example_id)}">{html.escape(entry["title"])}</h3><ul>')
        names = [n for n in OUTPUT_LABELS if n in entry["files"]] + sorted(set(entry["files"]) - set(OUTPUT_LABELS))
        for name in names:
            href = html.escape(f"examples/{example_id}/{name}")
            label = html.escape(_state["outputs"]["labels"].get(name, name))
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


def on_page_content(html_text: str, page, config, files) -> str:  # noqa: ANN001 - MkDocs hook signature
    """The questionnaire, examples and downloads, drawn into the page before any script runs."""
    if page.file.src_uri != PAGE:
        return html_text
    from itaku import web
    from itaku.build import form_html

    missing = [m for m in FORM_MARKERS if html_text.count(m) != 1]
    if missing:
        raise _fail(f"{PAGE} に {missing} がちょうど1つずつ必要です", f"{PAGE} needs each marker once: {missing}")
    questionnaire = web.questionnaire()
    try:
        steps = form_html.steps_html(questionnaire, web.visible_keys(questionnaire["defaults"]))
    except form_html.FormError as exc:
        raise _fail(str(exc), "see itaku.build.form_html") from None
    outputs = _state["outputs"]
    parts = dict(zip(FORM_MARKERS, (
        steps, form_html.removable_html(questionnaire), form_html.examples_html(questionnaire),
        form_html.downloads_html(outputs["labels"], outputs["always"], EVERYTHING))))
    for marker, part in parts.items():
        html_text = html_text.replace(marker, part)
    return html_text
