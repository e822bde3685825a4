"""MkDocs hook: serve third-party browser assets from the site itself, never a CDN.

The offline plugin of Material for MkDocs appends a CDN URL
(a CDN copy of iframe-worker on unpkg.com) to ``extra.polyfills`` unless one
entry already names ``iframe-worker``. ``mkdocs.yml`` lists the local path
``assets/vendor/iframe-worker/shim.js``; this hook adds that file to the build
from ``node_modules`` (installed by ``npm ci`` from ``package-lock.json``), so
nothing is copied into ``docs/`` and nothing generated is committed.

It fails the build when a vendored file is missing or when any polyfill or
extra script is an absolute URL, because the site must work with no internet.
"""
from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# site path -> path in node_modules (relative to the repository root)
VENDORED = {
    "assets/vendor/iframe-worker/shim.js": "node_modules/iframe-worker/shim/index.js",
}


def _root(config) -> str:  # noqa: ANN001
    return os.path.dirname(os.path.abspath(config.config_file_path))


def _is_remote(url: str) -> bool:
    return "://" in url or url.startswith("//")


@event_priority(-100)  # after the offline plugin has touched extra.polyfills
def on_config(config):  # noqa: ANN001 - MkDocs hook signature
    scripts = [str(s) for s in config.extra.get("polyfills", [])]
    scripts += [str(getattr(s, "path", s)) for s in config.extra_javascript]
    scripts += [str(s) for s in config.extra_css]
    remote = [s for s in scripts if _is_remote(s)]
    if remote:
        raise PluginError(
            "外部 URL のスクリプト・スタイルは使えません（オフラインで動かないため）/ "
            f"remote scripts or stylesheets are not allowed (the site must work offline): {remote}"
        )
    return config


def on_files(files, config):  # noqa: ANN001 - MkDocs hook signature
    root = _root(config)
    for site_path, source in VENDORED.items():
        path = os.path.join(root, source)
        if not os.path.isfile(path):
            raise PluginError(
                f"{source} がありません。./scripts/build（または npm ci）を実行してください / "
                f"{source} is missing: run ./scripts/build (or npm ci)"
            )
        files.append(File.generated(config, site_path, abs_src_path=path))
    return files
