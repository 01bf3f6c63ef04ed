"""A post's language when its page declares none, guessed from the words it uses most.

Old blog templates often leave out ``<html lang>``, and without a language the search index
cannot stem a post's words. Each language's commonest words vote: the stop lists that justext
(a dependency of trafilatura) ships for its boilerplate detection, built from Wikipedia. A word
counts for every language whose list holds it, its vote split between them, so the words many
languages share decide little. The guess stands only with enough votes and a clear lead.

Checked (``python -m eval.language``) on the 1,158 pages of trafilatura_eval, scrapinghub_aeb
and readability_testpages that declare a language, each guessed as if it declared none: the
guess agreed with the declaration on 1,100, left 26 (short or mixed texts) without a language,
and differed on 32.
Of those 32, 31 were the declaration's mistake or a page in two languages (German and Spanish
pages declared English, English pages declared German or French, lorem ipsum, Bengali declared
English), one the guess's (an English page of sports results taken for Finnish).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from itertools import islice

import justext

# justext's stop lists by ISO 639-1 code (lists of languages without such a code are left out).
_STOP_LISTS = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "br": "Breton", "bs": "Bosnian", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "fy": "West_Frisian", "ga": "Irish",
    "gl": "Galician", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "la": "Latin", "lb": "Luxembourgish", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "nb": "Norwegian_Bokmal", "ne": "Nepali", "nl": "Dutch", "nn": "Norwegian_Nynorsk",
    "oc": "Occitan", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish",
    "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip
# Languages written in the Latin alphabet. The others' lists, taken from their Wikipedias,
# hold many English words (titles, names): only their own script's words vote for them.
_LATIN = {
    "af", "az", "br", "bs", "ca", "cs", "cy", "da", "de", "en", "eo", "es", "et", "eu", "fi",
    "fr", "fy", "ga", "gl", "hr", "hu", "id", "is", "it", "la", "lb", "lt", "lv", "ms", "mt",
    "nb", "nl", "nn", "oc", "pl", "pt", "ro", "sk", "sl", "sq", "sv", "sw", "tl", "tr", "vi",
}  # fmt: skip
_WORD = re.compile(r"\w+(?:['’]\w+)?")
# The opening words are enough, and keep a long post's guess as cheap as a short one's.
_WORDS_READ = 300
# A guess needs this many votes, and this many times the runner-up's (see the module's note).
_MIN_VOTES = 10
_MIN_LEAD = 1.5


def guess_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in; None when unsure."""
    words = Counter(m.group().lower() for m in islice(_WORD.finditer(text), _WORDS_READ))
    latin_lists, other_lists = _stop_lists()
    votes: defaultdict[str, float] = defaultdict(float)
    for word, count in words.items():
        # A Latin word votes only for the Latin-alphabet languages, and the other way round.
        lists = latin_lists if _is_latin(word) else other_lists
        holders = [code for code, stop_words in lists if word in stop_words]
        for code in holders:
            votes[code] += count / len(holders)
    ranked = sorted(votes.items(), key=lambda item: item[1], reverse=True)
    if not ranked:
        return None
    best, best_votes = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_votes < _MIN_VOTES or best_votes < _MIN_LEAD * runner_up:
        return None
    return best


StopLists = tuple[tuple[str, frozenset[str]], ...]


@cache
def _stop_lists() -> tuple[StopLists, StopLists]:
    """The stop words of the Latin-alphabet languages, and of the others (read once)."""
    lists = [(code, justext.get_stoplist(name)) for code, name in _STOP_LISTS.items()]
    return (
        tuple((code, words) for code, words in lists if code in _LATIN),
        tuple((code, words) for code, words in lists if code not in _LATIN),
    )


def _is_latin(word: str) -> bool:
    """Whether the word's first character is a Latin letter (or a digit, or punctuation)."""
    first = word[:1]
    return first < "\u0250" or "\u1e00" <= first <= "\u1eff"
