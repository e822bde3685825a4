"""Which corpus version made a file, and which clauses changed since then."""
from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from xml.etree import ElementTree

from itaku import schema
from itaku.model import Corpus

MAX_BYTES = 20_000_000
CUSTOM_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


class IdentifyError(ValueError):
    """The file carries no stamp of this kit (message in Japanese)."""


def read_stamp(data: bytes) -> dict[str, Any]:
    """The stamp of a .docx/.xlsx (custom property ``itaku-stamp``) or of a JSON answers file/job record."""
    if len(data) > MAX_BYTES:
        raise IdentifyError("ファイルが大きすぎます（20MB まで）。")
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "docProps/custom.xml" not in z.namelist() and z.comment.startswith(b"{"):
                    return _parse(z.comment.decode("utf-8"))  # documents.zip: the stamp is the zip comment
                info = z.getinfo("docProps/custom.xml")
                if info.file_size > 1_000_000:
                    raise IdentifyError("文書のプロパティが大きすぎます。")
                root = ElementTree.fromstring(z.read(info))
        except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError) as exc:
            if isinstance(exc, IdentifyError):
                raise
            raise IdentifyError("この文書には本キットの刻印（作成情報）がありません。") from None
        for prop in root.iter(f"{CUSTOM_NS}property"):
            if prop.get("name") == "itaku-stamp":
                text = "".join(prop.itertext())
                return _parse(text)
        raise IdentifyError("この文書には本キットの刻印（作成情報）がありません。")
    try:
        doc = schema.loads(data.decode("utf-8-sig"))
    except schema.JSONInputError as exc:
        raise IdentifyError(f"JSON ファイルとして読めません。{exc}") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise IdentifyError("Word・Excel・JSON のいずれのファイルとしても読めません。") from None
    if not isinstance(doc, dict):
        raise IdentifyError("本キットのファイルではありません。")
    if isinstance(doc.get("stamp"), dict):
        return doc["stamp"]
    if doc.get("format") == "itaku-answers":
        edition = doc.get("edition") if isinstance(doc.get("edition"), dict) else {}
        return {"corpus_version": doc.get("corpus_version"), "answers_hash": doc.get("answers_hash"),
                "phase": "answers", "schema_version": doc.get("schema_version"),
                "edition_name": edition.get("name"), "edition_hash": edition.get("hash")}
    raise IdentifyError("本キットのファイルではありません。")


def _parse(text: str) -> dict[str, Any]:
    try:
        stamp = schema.loads(text)
    except ValueError:
        raise IdentifyError("刻印（作成情報）が壊れています。") from None
    if not isinstance(stamp, dict) or "corpus_version" not in stamp:
        raise IdentifyError("刻印（作成情報）が壊れています。")
    return stamp


def _version(text: Any) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in str(text).split("."))
    except ValueError:
        return (0,)


def changes_since(corpus: Corpus, version: str) -> list[dict[str, Any]]:
    """Changelog entries newer than ``version``, newest first, with clause titles."""
    old = _version(version)
    out = []
    for entry in corpus.changelog:
        if _version(entry["version"]) > old:
            titles = []
            for cid in entry.get("clauses", []):
                try:
                    titles.append({"id": cid, "title": corpus.clause(cid)["title"]})
                except KeyError:
                    titles.append({"id": cid, "title": cid})
            out.append({"version": str(entry["version"]), "date": str(entry["date"]), "summary": entry["summary"],
                        "clauses": titles})
    return out


def identify(corpus: Corpus, data: bytes) -> dict[str, Any]:
    stamp = read_stamp(data)
    version = str(stamp.get("corpus_version") or "")
    changes = changes_since(corpus, version)
    return {"stamp": stamp, "current_version": corpus.version, "up_to_date": not changes and version == corpus.version,
            "changes": changes}
