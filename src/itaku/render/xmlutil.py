"""Helpers shared by the Word and Excel writers (standard library only).

XML 1.0 cannot carry most C0 control characters, U+FFFE/U+FFFF or lone
surrogates; a file containing one is corrupt for Word and Excel. They are
replaced by U+FFFD so the rest of the text survives (JSON keeps them exactly).
"""
from __future__ import annotations

import re
import zipfile
from io import BytesIO

ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;"))


def clean_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    return ILLEGAL_XML.sub("\ufffd", text)


def escape(text: str, escapes: tuple[tuple[str, str], ...] = _ESCAPES) -> str:
    """``text`` with each character of ``escapes`` (``&`` first) replaced by its entity.

    ``str.replace`` per character: ``str.translate`` with a mapping looks every character
    up in Python and cost a tenth of a job's generation time."""
    for char, entity in escapes:
        if char in text:
            text = text.replace(char, entity)
    return text


def xml_escape(text: str) -> str:
    """Cleaned and escaped for element content and attribute values alike."""
    return escape(clean_text(text))


def deterministic_zip(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip whose bytes depend only on ``entries`` (in that order): fixed dates, attributes, compression."""
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=6)
    return buf.getvalue()
