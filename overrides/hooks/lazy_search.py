"""MkDocs hook: build the search index when the reader opens search, over http as from file://.

Material's bundle sends the whole index (``search/search_index.json``, ~740,000 characters of
Japanese) to its search worker as soon as any page loads over http; the worker segments it
(TinySegmenter) and builds the lunr index: ~2 s of CPU on every page view, in the background,
whether or not the reader ever searches. From ``file://`` the same bundle already waits until the
search box is opened (the ``search`` toggle: a click on the box, the search button, or the ``/`` and
``s`` keys). This hook makes http take that very path, so both ways of opening the site behave alike
and a page view costs only the page: the reader who opens search waits for the index there (the box
says 「検索を初期化」 meanwhile), as a reader of the folder copy always did.

The change is one expression of the minified bundle, replaced by one of the same length (so the
bundle's source map still lines up). The build fails if the expression is not found exactly once
(a new Material version): look at ``Ei``/``setupSearchIndex`` in the new bundle and update ``EAGER``.
"""
from __future__ import annotations

import pathlib
import re

from mkdocs.exceptions import PluginError

# `merge(of(location.protocol !== "file:"), watchToggle("search"))` in Material 9.8.1's bundle:
# the first operand sends the index at once unless the page came from file://.
EAGER = re.compile(r'(?<=\()location\.protocol!=="file:"(?=\),\w+\("search"\))')


def lazy(source: str) -> str:
    """The bundle with the eager operand replaced by `false` (same length); fails unless found once."""
    found = EAGER.findall(source)
    if len(found) != 1:
        raise PluginError(
            "Material の bundle に検索の初期化の式が見つかりません（Material の版が変わった可能性）: "
            "overrides/hooks/lazy_search.py の EAGER を直してください / "
            f"the search set-up expression was found {len(found)} times in Material's bundle, not once: "
            "update EAGER in overrides/hooks/lazy_search.py"
        )
    return EAGER.sub(lambda m: "!1".ljust(len(m.group(0))), source)


def on_post_build(config) -> None:  # noqa: ANN001 - MkDocs hook signature
    bundles = sorted(pathlib.Path(config.site_dir, "assets", "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise PluginError(f"Material の bundle が 1 つではありません / expected one Material bundle: {bundles}")
    bundle = bundles[0]
    # Files in site/ may be hard links shared with another copy (tests copy the site): write a new file.
    text = lazy(bundle.read_text(encoding="utf-8"))
    bundle.unlink()
    bundle.write_text(text, encoding="utf-8")
