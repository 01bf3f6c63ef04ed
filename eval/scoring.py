"""The scoring functions themselves: pure, small, and tested on tiny inputs.

Two ways to score a body are used, each the one its data set was made for: snippet counts
(trafilatura's evaluation pages name passages that must and must not be in the body) and a
bag-of-words F1 against a full gold text (the article-extraction benchmarks). Metadata is
compared after normalising what no reader would call a difference: case, white space, a
leading "By", the time of day.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

__all__ = [
    "Counts",
    "agreement",
    "contains",
    "mean",
    "norm_author",
    "norm_term",
    "norm_title",
    "readable",
    "same_author",
    "same_day",
    "same_minute",
    "same_terms",
    "same_title",
    "snippet_counts",
    "squash",
    "token_f1",
    "tokens",
]

_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^\s*(by|von|par|por|door|di|av)\s*:?\s+", re.IGNORECASE)
# Quotes and dashes come in typographic variants that annotators and pages mix freely.
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"})


# Invisible format characters a page may hold inside words (soft hyphens, zero-width spaces,
# invisible separators, byte-order marks). A reader never sees them, and gold passages copied
# from a rendered page sometimes keep them and sometimes not, so both sides are compared
# without them. The joiners stay: they change how Indic and Persian words are written.
_INVISIBLE = {
    code: None
    for code in range(sys.maxunicode + 1)
    if unicodedata.category(chr(code)) == "Cf" and code not in (0x200C, 0x200D)
}


def readable(text: str | None) -> str:
    """Text as a reader sees it: canonically composed (NFC), invisible characters dropped."""
    return unicodedata.normalize("NFC", text or "").translate(_INVISIBLE)


def squash(text: str | None) -> str:
    """Runs of white space (non-breaking spaces included) folded to one space, on the
    readable text."""
    return " ".join(readable(text).split())


def contains(haystack: str, needle: str) -> bool:
    """Is the needle in the haystack? Both compared as readable text with white space folded."""
    needle = squash(needle)
    return bool(needle) and needle in squash(haystack)


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives, with the usual ratios."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def snippet_counts(body: str, with_: Iterable[str], without: Iterable[str]) -> Counts:
    """trafilatura's snippet score for one page: ``with`` found is a TP, missing a FN;
    ``without`` found is a FP (``without`` missing is a true negative, not counted)."""
    text = squash(body)
    tp = fn = fp = 0
    for snippet in with_:
        if not squash(snippet):
            continue
        if contains(text, snippet):
            tp += 1
        else:
            fn += 1
    for snippet in without:
        if contains(text, snippet):
            fp += 1
    return Counts(tp, fp, fn)


def tokens(text: str | None) -> Counter[str]:
    """The bag of lower-cased words of a text."""
    return Counter(_WORD.findall(readable(text).lower()))


def token_f1(extracted: str | None, gold: str | None) -> Counts:
    """Bag-of-words overlap between an extracted text and the gold text, as counts."""
    mine, truth = tokens(extracted), tokens(gold)
    tp = sum((mine & truth).values())
    return Counts(tp, sum(mine.values()) - tp, sum(truth.values()) - tp)


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean; 0.0 for no values."""
    return sum(values) / len(values) if values else 0.0


def _fold(text: str) -> str:
    return squash(unicodedata.normalize("NFKC", text).translate(_FOLD)).casefold()


def norm_title(title: str | None) -> str:
    """A title as compared: case, white space and typographic quotes folded."""
    return _fold(title or "").strip(" .:")


def same_title(mine: str | None, gold: str) -> bool:
    """Equal titles after normalising."""
    return bool(mine) and norm_title(mine) == norm_title(gold)


def norm_author(name: str | None) -> str:
    """An author name as compared: a leading "By" dropped, case, white space and the
    punctuation around names folded."""
    folded = _fold(_BYLINE.sub("", name or ""))
    return re.sub(r"\s+([,;])", r"\1", folded).strip(" ,;.")


_NAME_SEPARATOR = re.compile(r"\s*[;,&]\s*|\s+(?:and|und|et|y)\s+", re.IGNORECASE)


def _names(value: str | Sequence[str]) -> set[str]:
    # Several authors come as a list in gold, joined with ";", "," or "and" by extractors.
    joined = value if isinstance(value, str) else ";".join(value)
    return {norm_author(p) for p in _NAME_SEPARATOR.split(joined) if norm_author(p)}


def same_author(mine: str | None, gold: str | Sequence[str]) -> bool:
    """The same author (or the same set of authors) after normalising."""
    if not mine:
        return False
    if isinstance(gold, str) and norm_author(mine) == norm_author(gold):
        return True
    return _names(mine) == _names(gold)


def same_day(mine: str | None, gold: str) -> bool:
    """Same calendar day: both given as ISO text, compared on ``YYYY-MM-DD``."""
    return bool(mine) and (mine or "")[:10] == gold.strip()[:10]


def norm_term(term: str) -> str:
    """A category or tag as compared: case, white space and a leading ``#`` folded."""
    return _fold(term).lstrip("#")


def same_terms(mine: Sequence[str], gold: Sequence[str]) -> bool:
    """The same set of categories (or tags), order and case aside."""
    return {norm_term(t) for t in mine if norm_term(t)} == {norm_term(t) for t in gold}


def same_minute(mine: datetime | None, gold: datetime, local: tzinfo | None = None) -> bool:
    """The same minute. An aware result is compared in the gold's zone; a naive one is taken
    as the blog's wall clock, so it is compared with the gold shown in ``local`` (the blog's
    zone) when given, else with the gold's own wall clock."""
    if mine is None:
        return False
    if mine.tzinfo is not None:
        mine = mine.astimezone(gold.tzinfo)
        expected = gold
    else:
        expected = gold.astimezone(local) if local is not None else gold
    return mine.replace(second=0, microsecond=0, tzinfo=None) == expected.replace(
        second=0, microsecond=0, tzinfo=None
    )


def agreement(got: int, want: int) -> float:
    """How close a count is to the gold count: 1.0 when equal, smaller either way."""
    if got == want:
        return 1.0
    return min(got, want) / max(got, want)
