"""Every module of src/itaku imports only what its row of the module map in ARCHITECTURE.md allows.

The map is the one place the layers are written down: the layer table gives their order
(bottom first) and the module table each module's layer and the layers it may import. Every
import statement counts, also one inside a function; no layer may be above the module's own.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"
MAX_LINES = 500


def table(text: str, first_header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header row starts with ``| first_header |``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def ticked(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def declared() -> tuple[list[str], dict[str, tuple[str, set[str]]]]:
    """(layers bottom first, {module: (layer, layers it may import)}) from ARCHITECTURE.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    layers = [ticked(row[0])[0] for row in table(text, "Layer")]
    modules = {}
    for row in table(text, "Module"):
        (module,), (layer,) = ticked(row[0]), ticked(row[1])
        modules[module] = (layer, set(ticked(row[3])))
    return layers, modules


def module_files() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "itaku").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(path: Path, known: set[str]) -> set[str]:
    """The modules of the package that ``path`` imports, anywhere in it (``from itaku import x``: itaku.x)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                      for a in node.names}
    return {name for name in found if name in known}


def graph() -> dict[str, set[str]]:
    files = module_files()
    return {module: imports(path, set(files)) - {module} for module, path in files.items()}


def test_every_module_has_one_row_in_the_map() -> None:
    layers, modules = declared()
    assert sorted(modules) == sorted(module_files()), "ARCHITECTURE.md's module table and src/itaku differ"
    for module, (layer, allowed) in modules.items():
        assert layer in layers, (module, layer)
        above = [a for a in allowed if a not in layers or layers.index(a) > layers.index(layer)]
        assert not above, f"{module} ({layer}) is allowed layers above its own or unknown: {above}"


def test_no_module_imports_a_layer_it_may_not() -> None:
    _, modules = declared()
    wrong = [f"{module} ({modules[module][0]}) imports {used} ({modules[used][0]})"
             for module, used_all in graph().items() for used in sorted(used_all)
             if used != "itaku" and modules[used][0] not in modules[module][1]]
    assert not wrong, "\n".join(wrong)


def test_no_import_circle() -> None:
    edges = graph()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " → ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        for used in sorted(edges[module]):
            visit(used, path + [module])
        done.add(module)

    for module in sorted(edges):
        visit(module, [])


def test_no_module_over_500_lines() -> None:
    long = {m: n for m, p in module_files().items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
