"""Helpers shared by the Word and Excel writers (standard library only).

XML 1.0 cannot carry most C0 control characters, U+FFFE/U+FFFF or lone
surrogates; a file containing one is corrupt for Word and Excel. They are
replaced by U+FFFD so the rest of the text survives (JSON keeps them exactly).
"""
from __future__ import annotations

import re
import struct
import zipfile
import zlib

ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry
ZIP_VERSION = 20  # the version zipfile writes as "made by" and "needed to extract" (2.0: deflate)
# Deflate level 1: half the compression time of level 6 (a tenth of a job's generation in Pyodide)
# for files about a sixth larger (a job's 17 files: 534 KB at level 6, 620 KB at level 1).
COMPRESS_LEVEL = 1
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("'", "&apos;"))


def clean_text(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD."""
    # Printable text holds none of them (controls, surrogates and noncharacters are not printable): most text
    # is checked by this one C loop; line breaks, tabs or U+3000 take the pattern.
    return text if text.isprintable() else ILLEGAL_XML.sub("\ufffd", text)


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
    """A zip whose bytes depend only on ``entries`` (in that order): fixed dates, attributes, compression.

    Written directly (local headers, deflated data, central directory) rather than through ``zipfile``,
    whose per-member machinery cost a noticeable share of a job in Pyodide; the bytes are those
    ``zipfile`` writes for the same members (``tests/test_xlsx_writer.py`` compares them).
    """
    dosdate = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]
    dostime = ZIP_DATE[3] << 11 | ZIP_DATE[4] << 5 | ZIP_DATE[5] // 2
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in entries:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        crc = zlib.crc32(data)
        fields = (ZIP_VERSION, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate, crc, len(packed), len(data),
                  len(encoded))
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, 0)
        central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", ZIP_VERSION, 3, *fields, 0, 0, 0, 0,
                                   0o100644 << 16, offset) + encoded)
        out += (header, encoded, packed)
        offset += len(header) + len(encoded) + len(packed)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
    return b"".join(out) + directory + end
