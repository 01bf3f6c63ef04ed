"""Bytes to text: choose the encoding a web page was really written in.

Old blogs are often mislabelled: windows-1252 bytes served as UTF-8 or ISO-8859-1, or UTF-8
bytes under a windows-1252 ``<meta>`` tag left over from a theme. Trusting the label gets those
wrong, and so does guessing. The order below gets all the common cases right, because strict
UTF-8 almost never succeeds on text that is not UTF-8:

1. a byte-order mark (UTF-8, UTF-16);
2. strict UTF-8;
3. the label declared in the Content-Type header, then in the document's ``<meta>`` tags or XML
   declaration (only the first few KB are read), with the WHATWG aliases: ISO-8859-1, latin-1
   and ASCII mean windows-1252, GB2312 means GB18030, Shift_JIS means cp932, EUC-KR means cp949;
4. UTF-8 with replacement characters, when the page is UTF-8 but for a few stray bytes (valid
   multi-byte characters outnumber the other high bytes tenfold);
5. windows-1252, with replacement characters only for the five bytes it leaves undefined.

The encoding actually used is recorded with the text, under Python's codec name.

``looks_binary`` answers the question asked before any of this: is this text at all? Servers
routinely send PDFs, images and archives as ``text/html``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "declared_labels", "decode_document", "looks_binary", "resolve_label"]

# How far into a document its own declarations are looked for. The HTML standard says 1024
# bytes, but blog themes put long inline scripts and styles before the meta tag.
_PRESCAN_BYTES = 8192

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels whose meaning on the web differs from Python's codec of the same name (WHATWG
# Encoding Standard): browsers read them as the superset, and so must we to match what readers
# of the blog saw.
_ALIASES: dict[str, str] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "cp819": "cp1252",
    "ibm819": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "windows-1252": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "gb_2312-80": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "korean": "cp949",
    "big5": "big5hkscs",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    # A UTF-16 label without a byte-order mark: little-endian is what servers mean in practice.
    "utf-16": "utf-16-le",
    "unicode": "utf-16-le",
}
# Labels never honoured: UTF-7 and friends are a script-injection vector and never real pages.
_REFUSED = frozenset({"utf-7", "utf7", "x-user-defined", "replacement"})

_HEADER_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(
    rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_:.+-]+)["']""", re.IGNORECASE
)


@dataclass(frozen=True, kw_only=True, slots=True)
class Decoded:
    """A document's text and the encoding (Python codec name) used to decode it."""

    text: str
    encoding: str


def resolve_label(label: str) -> str | None:
    """Python codec name for an encoding label as the web means it, or ``None`` if unusable."""
    key = label.strip().strip("\"'").lower()
    if not key or key in _REFUSED:
        return None
    name = _ALIASES.get(key, key)
    try:
        info = codecs.lookup(name)
        # ``codecs.lookup`` also knows bytes-to-bytes codecs (base64, zlib...): not text.
        "".encode(info.name)
    except (LookupError, UnicodeError):
        return None
    return info.name


def declared_labels(body: bytes, content_type: str | None) -> list[str]:
    """Encoding labels declared for the document, header first, as Python codec names."""
    found: list[str] = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type.encode("latin-1", "replace"))
        if match:
            found.append(match.group(1).decode("ascii"))
    head = body[:_PRESCAN_BYTES]
    xml = _XML_DECLARATION.match(head)
    if xml:
        found.append(xml.group(1).decode("ascii"))
    meta = _META_CHARSET.search(head)
    if meta:
        found.append(meta.group(1).decode("ascii"))
    names: list[str] = []
    for label in found:
        name = resolve_label(label)
        if name and name not in names:
            names.append(name)
    return names


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode_document(body: bytes, content_type: str | None) -> Decoded:
    """Decode a fetched document; never raises on any input."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoded(text=body[len(bom) :].decode(encoding, "replace"), encoding=encoding)

    labels = declared_labels(body, content_type)
    # 7-bit stateful encodings (ISO-2022-JP, HZ) are valid ASCII, so strict UTF-8 would
    # "succeed" and leave escape sequences in the text: their label must win.
    for name in labels:
        if name.startswith(("iso2022", "hz")):
            text = _strict(body, name)
            if text is not None:
                return Decoded(text=text, encoding=name)

    text = _strict(body, "utf-8")
    if text is not None:
        return Decoded(text=text, encoding="utf-8")

    for name in labels:
        if name in {"utf-8", "cp1252"}:
            continue  # UTF-8 already failed; windows-1252 is the fallback below
        text = _strict(body, name)
        if text is not None:
            return Decoded(text=text, encoding=name)
    # The page says what it is and nearly is: a stray bad byte in a Shift_JIS page should
    # cost one replacement character, not turn every line into windows-1252 mojibake.
    for name in labels:
        if name not in {"utf-8", "cp1252"} and not name.startswith("utf-16"):
            return Decoded(text=body.decode(name, "replace"), encoding=name)

    # UTF-8 with a few stray bytes (a truncated character, a pasted windows-1252 quote) is
    # still UTF-8: read as windows-1252, every one of its accented letters would be mojibake.
    if _mostly_utf8(body):
        return Decoded(text=body.decode("utf-8", "replace"), encoding="utf-8")
    text = _strict(body, "cp1252")
    if text is not None:
        return Decoded(text=text, encoding="cp1252")
    return Decoded(text=body.decode("cp1252", "replace"), encoding="cp1252")


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# Valid multi-byte characters per stray byte above which a page counts as UTF-8. Text really
# written in windows-1252 almost never forms valid UTF-8 sequences: an accented letter is
# one high byte followed by an ASCII one.
_UTF8_MAJORITY = 10


def _mostly_utf8(body: bytes) -> bool:
    """True when valid UTF-8 multi-byte characters outnumber the other high bytes tenfold."""
    sequences = _UTF8_SEQUENCE.findall(body)
    if not sequences:
        return False
    in_sequences = sum(len(seq) for seq in sequences)
    stray = len(_HIGH_BYTE.findall(body)) - in_sequences
    return len(sequences) >= _UTF8_MAJORITY * max(stray, 1)


# Signatures of formats that are never pages, whatever the Content-Type says.
_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",  # ZIP, and the office formats and EPUB built on it
    b"PK\x05\x06",
    b"\x1f\x8b",  # gzip
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x7fELF",
    b"\x00asm",
    b"OggS",
    b"ID3",  # MP3
    b"fLaC",
    b"\x00\x00\x01\x00",  # ICO
    b"II*\x00",  # TIFF
    b"MM\x00*",
    b"wOFF",
    b"wOF2",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # old Microsoft Office
)
_BINARY_TYPES = ("image/", "audio/", "video/", "font/")
_BINARY_SUBTYPES = frozenset(
    {
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/x-gzip",
        "application/octet-stream",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/vnd.rar",
        "application/msword",
        "application/wasm",
    }
)
_SNIFF_BYTES = 1024
# Control bytes that text never contains (tab, newline, form feed, carriage return and ESC are
# legitimate).
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 27}


def looks_binary(body: bytes, content_type: str | None) -> bool:
    """True when the body is not text, judged by its type and by sniffing its first bytes."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith(_BINARY_TYPES) or mime in _BINARY_SUBTYPES:
        return True
    head = body[:_SNIFF_BYTES]
    if not head:
        return False
    if head.startswith(_MAGIC) or head[4:12] in {b"ftypisom", b"ftypmp42"}:
        return True
    if head.startswith((b"RIFF", b"FORM")) and head[8:12] in {b"WEBP", b"WAVE", b"AVI ", b"AIFF"}:
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16 text is full of NULs
    if any(name.startswith("utf-16") for name in declared_labels(b"", content_type)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte in _CONTROL)
    return controls * 10 > len(head)
