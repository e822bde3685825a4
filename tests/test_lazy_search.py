"""overrides/hooks/lazy_search.py: the one expression of Material's bundle that builds the search index
at once over http is replaced by `false` of the same length; anything else fails the build."""
from __future__ import annotations

import importlib.util
import pathlib

import pytest
from mkdocs.exceptions import PluginError

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lazy_search", ROOT / "overrides/hooks/lazy_search.py")
lazy_search = importlib.util.module_from_spec(spec)
assert spec.loader is not None
spec.loader.exec_module(lazy_search)

EAGER = 'function Ei(e,t){return L($(location.protocol!=="file:"),Je("search")).pipe(Re(o=>o))}'


def test_the_eager_operand_becomes_false_of_the_same_length() -> None:
    out = lazy_search.lazy("a;" + EAGER + ";b")
    assert len(out) == len(EAGER) + 4  # the source map still lines up
    assert 'L($(!1' in out and "location.protocol" not in out
    assert out == ("a;" + EAGER + ";b").replace('location.protocol!=="file:"', "!1" + " " * 25)


@pytest.mark.parametrize("source", ["", EAGER + EAGER, EAGER.replace('"search"', '"palette"'),
                                    'if(location.protocol!=="file:")x()'])
def test_anything_but_one_match_fails_the_build(source: str) -> None:
    with pytest.raises(PluginError, match="lazy_search.py"):
        lazy_search.lazy(source)


def test_the_pinned_material_bundle_has_it_once() -> None:
    import material

    bundles = list(pathlib.Path(material.__file__).parent.glob("templates/assets/javascripts/bundle.*.min.js"))
    assert len(bundles) == 1, bundles
    lazy_search.lazy(bundles[0].read_text(encoding="utf-8"))
