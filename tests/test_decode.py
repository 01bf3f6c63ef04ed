"""The encodings matrix: mislabelled, unlabelled and non-Latin pages decode to the right text."""

from __future__ import annotations

import codecs
import gzip
import zlib
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.decode import declared_labels, decode_document, looks_binary, resolve_label
from tests.conftest import shared_path

FRENCH = "Café crème – « naïve » “quoted” résumé … 5 € œuvre"
JAPANESE = "日本語のブログ記事です。コメントありがとう！"
KOREAN = "한국어 블로그 글입니다. 댓글 감사합니다."
RUSSIAN = "Привет, это запись в блоге. Ёлка и щи."
CHINESE = "这是一篇中文博客文章，谢谢评论。"
GREEK = "Καλημέρα κόσμε, αυτό είναι ένα ιστολόγιο."
UKRAINIAN = "Це допис у блозі: їжак, ґанок, є."


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    content_type: str | None
    text: str  # a fragment the decoded text must contain
    encoding: str


CASES = [
    Case(
        "cp1252 labelled utf-8",
        page(FRENCH).encode("cp1252"),
        "text/html; charset=utf-8",
        FRENCH,
        "cp1252",
    ),
    Case(
        "cp1252 labelled iso-8859-1",
        page(FRENCH).encode("cp1252"),
        "text/html; charset=ISO-8859-1",
        FRENCH,
        "cp1252",
    ),
    Case("cp1252 unlabelled", page(FRENCH).encode("cp1252"), "text/html", FRENCH, "cp1252"),
    Case("cp1252 no content type", page(FRENCH).encode("cp1252"), None, FRENCH, "cp1252"),
    Case(
        "utf-8 under a windows-1252 meta",
        page(FRENCH, '<meta charset="windows-1252">').encode("utf-8"),
        "text/html",
        FRENCH,
        "utf-8",
    ),
    Case(
        "utf-8 under a latin-1 header",
        page(FRENCH).encode("utf-8"),
        "text/html; charset=latin-1",
        FRENCH,
        "utf-8",
    ),
    Case(
        "utf-16-le with BOM",
        codecs.BOM_UTF16_LE + page(JAPANESE).encode("utf-16-le"),
        "text/html",
        JAPANESE,
        "utf-16-le",
    ),
    Case(
        "utf-16-be with BOM",
        codecs.BOM_UTF16_BE + page(RUSSIAN).encode("utf-16-be"),
        "text/html; charset=iso-8859-1",
        RUSSIAN,
        "utf-16-be",
    ),
    Case(
        "utf-8 BOM",
        codecs.BOM_UTF8 + page(FRENCH).encode("utf-8"),
        "text/html; charset=windows-1252",
        FRENCH,
        "utf-8",
    ),
    Case(
        "shift_jis in meta",
        page(
            JAPANESE, '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        ).encode("cp932"),
        "text/html",
        JAPANESE,
        "cp932",
    ),
    Case(
        "euc-kr in header",
        page(KOREAN).encode("euc-kr"),
        "text/html; charset=EUC-KR",
        KOREAN,
        "cp949",
    ),
    Case(
        "koi8-r in meta",
        page(RUSSIAN, "<meta charset=koi8-r>").encode("koi8-r"),
        "text/html",
        RUSSIAN,
        "koi8-r",
    ),
    Case(
        "gb2312 in header",
        page(CHINESE).encode("gb2312"),
        'text/html; charset="gb2312"',
        CHINESE,
        "gb18030",
    ),
    Case(
        "iso-8859-15 euro sign",
        page("Prix : 5 € — non, 5 ¤ ? Œuvre")
        .replace("—", "-")
        .replace("¤", "€")
        .encode("iso8859-15"),
        "text/html; charset=ISO-8859-15",
        "Prix : 5 € - non, 5 € ? Œuvre",
        "iso8859-15",
    ),
    Case(
        "xml declaration windows-1251",
        f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{RUSSIAN}</title></rss>'.encode(
            "cp1251"
        ),
        "application/rss+xml",
        RUSSIAN,
        "cp1251",
    ),
    Case(
        "iso-2022-jp declared",
        page(JAPANESE, '<meta charset="ISO-2022-JP">').encode("iso2022_jp"),
        "text/html",
        JAPANESE,
        "iso2022_jp",
    ),
    Case(
        "euc-jp declared",
        page(JAPANESE, '<meta charset="euc-jp">').encode("euc-jp"),
        "text/html",
        JAPANESE,
        "euc_jp",
    ),
    Case(
        "big5 declared",
        page("這是部落格文章，謝謝留言。").encode("big5"),
        "text/html; charset=big5",
        "這是部落格文章，謝謝留言。",
        "big5hkscs",
    ),
    Case(
        "iso-8859-7 declared",
        page(GREEK).encode("iso8859-7"),
        "text/html; charset=iso-8859-7",
        GREEK,
        "iso8859-7",
    ),
    Case(
        "header wins over meta",
        page(UKRAINIAN, '<meta charset="windows-1251">').encode("koi8-u"),
        "text/html; charset=KOI8-U",
        UKRAINIAN,
        "koi8-u",
    ),
    Case(
        "pure ascii",
        page("plain old text").encode("ascii"),
        "text/html; charset=shift_jis",
        "plain old text",
        "utf-8",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_encodings_matrix(case: Case) -> None:
    decoded = decode_document(case.body, case.content_type)
    assert case.text in decoded.text
    assert decoded.encoding == case.encoding
    assert "\ufffd" not in decoded.text
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in decoded.text), "C1 control characters"
    assert not decoded.text.startswith("\ufeff")


def test_matrix_is_large_enough() -> None:
    assert len(CASES) >= 12


def test_undefined_cp1252_byte_costs_one_replacement() -> None:
    body = page("Caf\u00e9").encode("cp1252") + b" \x81 end"
    decoded = decode_document(body, "text/html; charset=iso-8859-1")
    assert decoded.encoding == "cp1252"
    assert decoded.text.count("\ufffd") == 1
    assert "Café" in decoded.text


def test_stray_byte_in_declared_multibyte_page_keeps_the_page_readable() -> None:
    good = JAPANESE.encode("cp932")
    body = page("").encode("ascii") + good + b"\x81\xff" + good
    decoded = decode_document(body, "text/html; charset=shift_jis")
    assert decoded.encoding == "cp932"
    assert decoded.text.count(JAPANESE) == 2
    assert decoded.text.count("\ufffd") <= 2


def test_utf8_page_with_a_stray_byte_stays_utf8() -> None:
    text = "März, Ärger und Öl. " * 4
    body = page(text).encode("utf-8") + b" \xe4 " + page(text).encode("utf-8")
    decoded = decode_document(body, "text/html; charset=utf-8")
    assert decoded.encoding == "utf-8"
    assert decoded.text.count(text) == 2
    assert decoded.text.count("\ufffd") == 1


def test_windows_1252_mislabelled_utf8_is_still_windows_1252() -> None:
    body = page("café naïve résumé “quoted” — Ärger").encode("cp1252")
    decoded = decode_document(body, "text/html; charset=utf-8")
    assert decoded.encoding == "cp1252"
    assert "café naïve résumé “quoted” — Ärger" in decoded.text


def test_real_utf8_page_with_stray_bytes_is_not_mojibake() -> None:
    """A German blog page declared UTF-8 with a few invalid bytes (trafilatura's eval set)."""
    path = shared_path(
        "trafilatura_eval", "tests", "eval", "der-erfolg-gibt-recht.de.rinderleber.html"
    )
    decoded = decode_document(path.read_bytes(), "text/html")
    assert decoded.encoding == "utf-8"
    assert "Ã¤" not in decoded.text and "MÃ" not in decoded.text
    assert decoded.text.count("ä") > 20
    assert decoded.text.count("\ufffd") <= 4


def test_meta_beyond_prescan_is_ignored() -> None:
    body = (
        b"<html><head><script>"
        + b"x" * 10_000
        + b"</script><meta charset=koi8-r>"
        + RUSSIAN.encode("cp1251")
    )
    decoded = decode_document(body, "text/html")
    assert decoded.encoding == "cp1252"  # the late label is not seen; the fallback applies


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("ISO-8859-1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("UTF8", "utf-8"),
        ("gbk", "gb18030"),
        ("Shift-JIS", "cp932"),
        ("utf-7", None),
        ("base64", None),
        ("zlib", None),
        ("bogus", None),
        ("", None),
        ("'koi8-r'", "koi8-r"),
    ],
)
def test_resolve_label(label: str, expected: str | None) -> None:
    assert resolve_label(label) == expected


def test_declared_labels_order_and_dedupe() -> None:
    body = b'<?xml version="1.0" encoding="utf-8"?><html><meta charset="UTF-8">'
    assert declared_labels(body, "text/xml; charset=koi8-r") == ["koi8-r", "utf-8"]


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=2000), content_type=st.one_of(st.none(), st.text(max_size=60)))
def test_decode_never_raises(body: bytes, content_type: str | None) -> None:
    decoded = decode_document(body, content_type)
    assert isinstance(decoded.text, str)
    assert decoded.encoding


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=500))
def test_valid_utf8_roundtrips(text: str) -> None:
    if text.startswith("\ufeff"):
        text = " " + text
    body = text.encode("utf-8", "surrogatepass")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return  # lone surrogates are not UTF-8
    assert decode_document(body, "text/html; charset=windows-1252").text == text


@pytest.mark.parametrize(
    "body",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x00\x00",
        gzip.compress(b"<html>hidden</html>"),
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"<html>\x00\x00\x00\x01\x02\x03",
        bytes(range(256)) * 4,
    ],
)
def test_binary_served_as_html_is_recognised(body: bytes) -> None:
    assert looks_binary(body, "text/html; charset=utf-8")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (page(FRENCH).encode("utf-8"), "text/html"),
        (page(FRENCH).encode("cp1252"), None),
        (codecs.BOM_UTF16_LE + page(JAPANESE).encode("utf-16-le"), "text/html"),
        (page(JAPANESE).encode("utf-16-le"), "text/html; charset=utf-16"),
        (page(JAPANESE, '<meta charset="ISO-2022-JP">').encode("iso2022_jp"), "text/html"),
        (b"", "text/html"),
        (b"\tindented\r\n\x0cform feed", "text/plain"),
    ],
)
def test_text_is_not_binary(body: bytes, content_type: str | None) -> None:
    assert not looks_binary(body, content_type)


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/pdf", "video/mp4", "application/octet-stream; x=y"]
)
def test_binary_content_types(content_type: str) -> None:
    assert looks_binary(b"<html>looks like text</html>", content_type)


def test_deflate_stream_is_binary() -> None:
    # A compressed body that slipped through undecoded must not be parsed as a page.
    assert looks_binary(zlib.compress(page(FRENCH).encode() * 20), "text/html")
