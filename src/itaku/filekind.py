"""What kind of file a user picked, so a wrong choice gets a message that names it.

A Word document put into the answers loader should hear "これは Word 文書です"
rather than an encoding error. Only the first bytes (and, for zip files, the
names of the parts) are looked at; nothing in the file is evaluated.
"""
from __future__ import annotations

import zipfile
from io import BytesIO

from itaku.schema import loads

# kind → how the message names it
NAMES = {
    "docx": "Word 文書（.docx）",
    "xlsx": "Excel ブック（.xlsx）",
    "ole": "古い形式の Office ファイル（.doc・.xls）又はパスワード付きのファイル",
    "pdf": "PDF ファイル",
    "zip": "ZIP ファイル",
    "image": "画像ファイル",
    "answers": "回答ファイル（answers.json）",
    "job": "業務記録ファイル（job.json）",
    "record": "確認の記録（record.json）",
    "json": "JSON ファイル（本キットのものではありません）",
}
JOB_FORMAT = "itaku-job"
ANSWERS_FORMAT = "itaku-answers"


def kind(data: bytes) -> str:
    """docx | xlsx | ole | pdf | zip | image | answers | job | record | json | "" (unknown, e.g. text)."""
    head = bytes(data[:8])
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(BytesIO(bytes(data))) as z:
                names = set(z.namelist()[:5000])
        except Exception:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    try:
        doc = loads(bytes(data).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # JSONInputError is a ValueError
        return ""
    if not isinstance(doc, dict):
        return "json"
    if doc.get("format") == JOB_FORMAT:
        return "job"
    if doc.get("format") == ANSWERS_FORMAT:
        return "answers"
    if "phase" in doc and "answers" in doc and "checker" in doc:
        return "record"
    return "json"


def wrong_file(data: bytes, accepted: tuple[str, ...], wanted: str) -> str | None:
    """「これは Word 文書（.docx）です。…を選んでください。」 when ``data`` is a known kind not in ``accepted``.

    ``wanted`` names what the input takes, e.g. 「回答ファイル（answers.json）又は業務記録ファイル
    （job.json）」. None when the kind is accepted or unknown (the caller's own checks and messages apply).
    """
    found = kind(data)
    if found in accepted or found in ("", "json"):
        return None
    name = NAMES[found]
    return f"これは{' ' if name[0].isascii() else ''}{name}です。{wanted}を選んでください。"
