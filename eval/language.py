"""How well a post's language is guessed: ``python -m eval.language``.

Every page of the three article sets that declares its language is parsed, and its post's
words are given to ``parsers.language.guess_language`` as if the page declared nothing. The
guess agrees with the declaration, differs from it, or stays unsure. Differences are listed:
a page can declare the wrong language, so each one needs reading.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.extractors import read_page
from eval.run import DEFAULT_DATA, data_sets, present_sets
from parsers.extract import parse_document
from parsers.language import guess_language

REPO = Path(__file__).resolve().parent.parent
SETS = ("trafilatura_eval", "scrapinghub_aeb", "readability_testpages")


def declared_and_guessed(page: bytes, url: str, *, as_post: bool) -> tuple[str, str | None] | None:
    """The page's declared language and the guess from its post's words, as if it declared
    none (None for an unsure guess); None when the page declares none or gives no text."""
    parsed = parse_document(page, url, None, assume_post=as_post)
    post, declared = parsed.post, parsed.language
    if post is None or not declared or not post.text:
        return None
    return declared, guess_language(f"{post.title or ''}\n{post.text}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.language", description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    args = parser.parse_args(argv)
    sets = [s for s in present_sets(data_sets(REPO), args.data) if s.name in SETS]
    if not sets:
        print(f"no article set under {args.data}", file=sys.stderr)
        return 1
    agree = unsure = 0
    differ: list[str] = []
    for data_set in sets:
        assert data_set.jobs is not None
        for job in data_set.jobs(args.data.joinpath(*data_set.folder)):
            pair = declared_and_guessed(read_page(job.path), job.url, as_post=job.as_post)
            if pair is None:
                continue
            declared, guess = pair
            if guess is None:
                unsure += 1
            elif guess == declared or {guess, declared} <= {"no", "nb", "nn"}:
                agree += 1
            else:
                differ.append(f"{data_set.name} {job.key}: declared {declared}, guessed {guess}")
    total = agree + unsure + len(differ)
    print(f"{total} pages declare a language ({', '.join(s.name for s in sets)})")
    print(f"guess agrees: {agree}, unsure: {unsure}, differs: {len(differ)}")
    for line in differ:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
