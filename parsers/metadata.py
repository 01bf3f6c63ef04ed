"""Post metadata from the page head and the post's own markup: title, author, dates, terms.

Selectors are data (the tables below), tried in order; machine-readable sources (Open Graph,
JSON-LD, ``<time datetime>``) come before visible text. The caller removes the comment area
first, so an author or date is never taken from a comment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from parsers.dates import date_in_url, on_local_day, parse_datetime

TITLE_SELECTORS = (
    "h1.entry-title",
    ".wp-block-post-title",
    "h1.post-title",
    "h2.entry-title",
    "h3.post-title",
    "h1.title",
    ".storytitle",
    "h2.post-title",
    "article h1",
    ".post h2 a",
    ".hentry .entry-title",
    "h1.page-title",
    "#page-title",
)
AUTHOR_SELECTORS = (
    ".entry-meta .author .fn",
    ".entry-meta .author a",
    ".entry-meta .author",
    ".byline .author .fn",
    ".byline .author",
    ".byline a[rel=author]",
    "span.author.vcard .fn",
    ".post-author .fn",
    ".post-header .fn",
    ".post-author-name",
    "header .author",
    "a[rel=author]",
    ".p-author",
    ".submitted .username",
    ".submitted a",
    ".post-footer .author",
    ".wp-block-post-author-name",
    ".author-name",
)
PUBLISHED_SELECTORS = (
    "time.entry-date[datetime]",
    "time.published[datetime]",
    ".entry-meta time[datetime]",
    ".posted-on time[datetime]",
    "abbr.published[title]",
    ".timestamp-link abbr[title]",
    "abbr.time.published[title]",
    ".wp-block-post-date time[datetime]",
    "time.dt-published[datetime]",
    "article time[datetime]",
    ".post time[datetime]",
    # Drupal's RDFa: the displayed "Fri, 12/19/2008 - 16:47" carries the exact instant with
    # its zone in ``content``.
    '[property~="dc:created"][content]',
    '[property~="dc:date"][content]',
)
# Blogger prints the day once above all that day's posts, outside each post's own element.
DAY_HEADER_SELECTORS = (".date-outer .date-header",)
PUBLISHED_TEXT_SELECTORS = (
    ".entry-meta .entry-date",
    ".post-date",
    ".storydate",
    ".entry-date",
    ".date-header",
    ".submitted",
    ".post-timestamp",
    ".posted-on",
    ".date",
)
# Head meta tags naming the publication date, most specific first (Open Graph, schema.org
# microdata, Dublin Core, news publishers' own).
PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
)
# Where a theme prints the blog's own name: a title ending in it is cut there.
SITE_NAME_SELECTORS = (
    ".site-title",
    "#site-title",
    ".blog-title",
    "#blog-title",
    ".site-name",
    "#logo",
)
MAX_SITE_NAME_WORDS = 4
# Longer than any headline: a caption or a teaser in a title's place.
MAX_TITLE_WORDS = 40
# A title part this long is a headline, so a short part after it is taken as the site's name.
MIN_UNNAMED_CUT_WORDS = 5
_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|·|•)\s+")
# Only the first few first-level headings are compared with the document title: a page with
# many is a listing, where none of them is the page's title.
MAX_HEADINGS = 3
UPDATED_SELECTORS = ("time.updated[datetime]", "abbr.updated[title]", "time.dt-updated[datetime]")
CATEGORY_SELECTORS = (
    'a[rel~="category"]',
    ".cat-links a",
    ".post-categories a",
    ".categories a",
    ".wp-block-post-terms.taxonomy-category a",
)
# Where a theme lists the post's terms among its other details (date, author, comments link):
# of the links there, those into a category archive name the post's categories.
TERM_AREA_LINKS = (
    ".entry-meta a[href]",
    ".post-meta a[href]",
    ".postmeta a[href]",
    ".post-info a[href]",
    ".postinfo a[href]",
    ".entry-info a[href]",
    ".entry-utility a[href]",
    ".entry-footer a[href]",
    ".entry-header a[href]",
    ".meta a[href]",
    ".post-category a[href]",
    ".entry-category a[href]",
    ".entry-categories a[href]",
    ".entry-tags a[href]",
    ".topics a[href]",
)
_TERM_AREA_LINK_LIST = ", ".join(TERM_AREA_LINKS)
_CATEGORY_ARCHIVE = re.compile(r"/categor(?:y|ies)/", re.IGNORECASE)
_TAG_ARCHIVE = re.compile(r"/(?:tags?|topics?)/", re.IGNORECASE)
TAG_SELECTORS = (
    'a[rel="tag"]',
    ".tag-links a",
    ".tags-links a",
    ".post-labels a",
    ".wp-block-post-terms.taxonomy-post_tag a",
    ".field-name-taxonomy-vocabulary-1 a",
    ".field-name-field-tags a",
    ".tags a",
)
POST_LD_TYPES = frozenset(
    {"blogposting", "article", "newsarticle", "socialmediaposting", "posting", "reportage"}
)
# A byline's label before the name ("Post author By", "Artikel von", "Zum Profil von"); it may
# repeat, as themes stack a screen-reader label on a visible one.
_BY = re.compile(
    r"^(?:(?:post )?author|autor(?:in)?|artikel von|beitrag von|zum profil von|by|par|von|vom|"
    r"por|door|di|av|posted by|written by|publié par|écrit par|publicado por|escrito por|"
    r"geschrieben von|verfasst von)\s*:?\s+",
    re.IGNORECASE,
)
# Where a byline runs on into the date or the page's buttons, the name ends: a publishing
# word, a weekday and a comma or a month before a number, or a numeric date.
_AFTER_NAME = re.compile(
    r"\s*[,|·•]?\s+(?:(?:published|(?:last\s+)?updated|posted|veröffentlicht|aktualisiert|stand|publicado|"
    r"actualizado|publié|mis à jour|follow|folgen)\b.*"
    r"|(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\w{0,7}\.?,\s+(?:\w+\.?\s+)?\d.*"
    r"|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\w{0,6}\.?\s+\d.*"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}.*|\d{4}-\d{2}-\d{2}.*)$",
    re.IGNORECASE,
)
# The lines under or over a post that old themes print as plain text, the author named among
# other words: "Posted in personal at 2:45 pm by danvk", "Publié par André le 3 mars".
BYLINE_LINE_SELECTORS = (
    ".post-header",
    ".postmetadata",
    ".post-meta",
    ".postinfo",
    ".post-info",
    ".meta",
)
_BY_IN_LINE = re.compile(
    r"(?:^|\s)(?:posted by|written by|by|par|von|por)\s+"
    r"(?P<name>[^\s,|·•()\[\]][^,|·•()\[\]]{0,59}?)"
    r"\s*(?=$|[,|·•(\[]|\s(?:on|at|in|le|à|am|um|el|en)\s)",
    re.IGNORECASE,
)
# A staff title printed after the name.
_ROLE = re.compile(
    r"\s*,?\s+(?:staff writer|senior writer|staff reporter|contributing writer|contributor|"
    r"correspondent|chefredakteur(?:in)?|redakteur(?:in)?)$",
    re.IGNORECASE,
)
# Values that are no one's name: placeholders of templates that had no author to print.
_NO_NAME = frozenset({"null", "none", "undefined", "no author", "unknown", "anonymous"})
# Longer than a few names joined by commas or "and": a sentence, not a byline.
MAX_NAME_WORDS = 7


def clean_author(value: str | None) -> str | None:
    """A byline reduced to the name(s) it gives, or None when it gives none.

    Labels before the name and a date, buttons or a staff title after it are cut; a value that
    is a web address, an e-mail address, a social-media handle, an arrow-marked link, a
    template placeholder, or is too long to be names is rejected, so another source is tried.
    """
    name = " ".join((value or "").split())
    for _ in range(3):
        shorter = _BY.sub("", name)
        if shorter == name:
            break
        name = shorter
    name = _ROLE.sub("", _AFTER_NAME.sub("", f" {name}")).strip(" ,;|-–—:")
    words = name.split()
    if len(words) % 2 == 0 and words[: len(words) // 2] == words[len(words) // 2 :]:
        # "jesusfreak jesusfreak": the name printed twice (a link and its label).
        name = " ".join(words[: len(words) // 2])
    if (
        not name
        or not any(c.isalpha() for c in name)
        or name.casefold() in _NO_NAME
        or name.startswith(("http:", "https:", "www.", "@"))
        or "@" in name
        or any(arrow in name for arrow in "→←»«")
        or len(name.split()) > MAX_NAME_WORDS
    ):
        return None
    return name


@dataclass(frozen=True, kw_only=True, slots=True)
class PostMetadata:
    title: str | None
    author_name: str | None
    author_url: str | None
    published_at: datetime | None
    updated_at: datetime | None
    language: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    canonical_url: str | None
    site_name: str | None


def squashed_text(node: LexborNode | None) -> str:
    """The node's text with every run of whitespace made one space; empty for no node."""
    return " ".join(node.text(separator=" ").split()) if node is not None else ""


def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        node = tree.css_first(
            f'meta[property="{name}" i], meta[name="{name}" i], meta[itemprop="{name}"]'
        )
        if node is not None:
            content = (node.attributes.get("content") or "").strip()
            if content:
                return content
    return None


# The start of an ISO 8601 date: what a machine-readable ``datetime`` attribute holds.
_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


def json_ld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, ``@graph`` members included."""
    for script in tree.css('script[type="application/ld+json"]'):
        # Some publishers wrap the object in a CDATA section (XHTML habit), which the HTML
        # parser leaves in the script's text.
        text = _CDATA.sub("", script.text() or "").strip()
        try:
            data = json.loads(text or "null")
        except ValueError:
            continue
        stack = [data]
        count = 0
        while stack and count < 200:
            item = stack.pop(0)
            count += 1
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _ld_post(tree: LexborHTMLParser) -> dict[str, Any]:
    for obj in json_ld_objects(tree):
        kind = obj.get("@type")
        values = kind if isinstance(kind, list) else [kind]
        if {k.lower() for k in values if isinstance(k, str)} & POST_LD_TYPES:
            return obj
    return {}


def _ld_title(post: dict[str, Any], tree: LexborHTMLParser) -> str | None:
    """The post's headline from JSON-LD. Where ``headline`` and ``name`` differ, some sites put
    a description in one of them (Wikipedia: "Wikimedia list article"): the one the document
    title also shows is the title."""
    values = [v.strip() for v in (post.get("headline"), post.get("name")) if isinstance(v, str)]
    values = [v for v in values if v]
    if len(values) == 2 and values[0] != values[1]:
        head = " ".join(
            (
                _meta(tree, "og:title", "twitter:title") or squashed_text(tree.css_first("title"))
            ).split()
        ).casefold()
        for value in values:
            if " ".join(value.split()).casefold() in head:
                return value
    return values[0] if values else None


def _ld_author(post: dict[str, Any]) -> tuple[str | None, str | None]:
    author = post.get("author")
    if isinstance(author, list) and author:
        author = author[0]
    if isinstance(author, dict):
        name = author.get("name")
        url = author.get("url")
        return (name if isinstance(name, str) else None, url if isinstance(url, str) else None)
    if isinstance(author, str):
        return author, None
    return None, None


def page_language(tree: LexborHTMLParser) -> str | None:
    """The page's declared language as a lower-case primary subtag (``fr``, ``en``)."""
    html = tree.css_first("html")
    value = (html.attributes.get("lang") or html.attributes.get("xml:lang")) if html else None
    value = value or _meta(tree, "og:locale", "content-language", "language", "dc.language")
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _page_url(tree: LexborHTMLParser, url: str | None) -> str | None:
    """The page's own address as it declares it (canonical link, Open Graph), else ``url``.

    A relative declaration ("index.html" in a mirror) is read against ``url``."""
    node = tree.css_first('link[rel="canonical"][href]')
    href = (node.attributes.get("href") if node is not None else None) or _meta(tree, "og:url")
    if not href:
        return url
    try:
        return urljoin(url, href.strip()) if url else href
    except ValueError:
        return url


def _site_names(tree: LexborHTMLParser, url: str | None) -> set[str]:
    """Ways the page may name its site: declared names, the theme's site title, the host."""
    names = {_meta(tree, "og:site_name", "application-name") or ""}
    names.update(squashed_text(tree.css_first(selector)) for selector in SITE_NAME_SELECTORS)
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        # Every label but the last: the site may be named after its domain ("Wikipedia" on
        # en.wikipedia.org), not only after its first label.
        names.update({host, *host.split(".")[:-1]})
    return {n.casefold() for n in names if n}


def _heading_part(head_title: str, tree: LexborHTMLParser, site_names: set[str]) -> str | None:
    """The page's own main heading, when the document title is that heading followed by the
    site's name (or a section's): "HISTALP Jahresbericht 2021 — ZAMG". A heading that is the
    site's name ("danvk.org » dragtable: ...", under an h1 "danvk.org") is not the page's."""
    folded = " ".join(head_title.split()).casefold()
    for node in tree.css("h1")[:MAX_HEADINGS]:
        heading = squashed_text(node)
        key = heading.casefold()
        if len(key) < 3 or key == folded or key in site_names:
            continue
        # The heading must meet the rest of the title at a separator, not inside a word. Only
        # a heading that opens the title counts: many themes print the site's name as the
        # first heading, and that is what a title's closing part usually is.
        if folded.startswith(key) and _TITLE_SEPARATOR.match(folded[len(key) :]):
            return heading
    return None


def clean_title(title: str, site_names: set[str]) -> str:
    """A document title without the site's name before or after it ("Post | My Blog")."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2 or " ".join(title.split()).casefold() in site_names:
        # A title that is the site's own name ("Yahoo News - Latest News & Headlines") is all
        # the page says of itself: cutting it would leave a slogan.
        return title

    def is_site(part: str) -> bool:
        # A short part holding the name ("Firefox Nightly News") is the site's; a longer one
        # that mentions it ("How we designed Dropbox's ATF") is the post's own title.
        folded = part.strip().casefold()
        short = len(folded.split()) <= MAX_SITE_NAME_WORDS
        return any(
            folded == name or (short and len(name) > 4 and name in folded) for name in site_names
        )

    if is_site(parts[-1]):
        return _strip_separator_tail(title[: title.rfind(parts[-1])])
    if is_site(parts[0]):
        return title[len(parts[0]) :].lstrip(" |-–—:»·•").strip()
    if (
        len(parts) == 2
        and len(parts[0].split()) >= MIN_UNNAMED_CUT_WORDS
        and len(parts[1].split()) <= MAX_SITE_NAME_WORDS
        and _looks_like_name(parts[1])
    ):
        # A headline and a short name after it: the site's name, even where the page never
        # states it elsewhere ("Lorem ipsum dolor sit amet – My website").
        return _strip_separator_tail(title[: title.rfind(parts[1])])
    return title


def _looks_like_name(part: str) -> bool:
    """A name, not the rest of a headline: it opens with a capital (or a digit) and asks or
    exclaims nothing ("an async task framework" and "worauf wartet die Politik?" are not)."""
    part = part.strip()
    return bool(part) and (part[0].isupper() or part[0].isdigit()) and part[-1] not in "?!"


def _strip_separator_tail(text: str) -> str:
    return text.rstrip().rstrip("|-–—:»·•").strip()


def _heading(root: LexborNode | LexborHTMLParser) -> str | None:
    """The post's title from the theme's markup. A long text in a title's place (a photo
    caption set as a heading) is no title, and the next selector is tried."""
    for selector in TITLE_SELECTORS:
        text = squashed_text(root.css_first(selector))
        if text and len(text.split()) <= MAX_TITLE_WORDS:
            return text
    return None


def _terms(root: LexborNode | LexborHTMLParser, selectors: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for selector in selectors:
        for node in root.css(selector):
            term = squashed_text(node)
            if term and len(term) < 200:
                seen.setdefault(term, None)
    return tuple(seen)


def _categories(
    tree: LexborHTMLParser, scope: LexborNode | LexborHTMLParser, ld: dict[str, Any]
) -> tuple[str, ...]:
    """The post's categories: the theme's category markup, else links into a category archive
    among the post's details, else the section JSON-LD or the head's meta tags name."""
    categories = _terms(scope, CATEGORY_SELECTORS) or _archive_links(scope, _CATEGORY_ARCHIVE)
    if not categories:
        section = ld.get("articleSection")
        categories = _distinct(section if isinstance(section, list) else [section])
    if not categories:
        section = _meta(tree, "article:section")
        categories = (section,) if section else ()
    return categories


def _tags(tree: LexborHTMLParser, scope: LexborNode | LexborHTMLParser) -> tuple[str, ...]:
    """The post's tags: the theme's tag markup, else links into a tag archive among the post's
    details, else the head's ``article:tag`` or keywords meta tags."""
    tags = _terms(scope, TAG_SELECTORS) or _archive_links(scope, _TAG_ARCHIVE)
    if not tags:
        tags = _distinct(
            node.attributes.get("content") for node in tree.css('meta[property="article:tag" i]')
        )
    if not tags:
        tags = _distinct((_meta(tree, "keywords") or "").split(","))
    return tags


def _distinct(values: Iterable[object]) -> tuple[str, ...]:
    """The non-empty strings among ``values``, stripped, each once, in order."""
    return tuple(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def _archive_links(
    root: LexborNode | LexborHTMLParser, archive: re.Pattern[str]
) -> tuple[str, ...]:
    """The labels of the links among the post's details that lead to a term archive."""
    seen: dict[str, None] = {}
    for node in root.css(_TERM_AREA_LINK_LIST):
        term = squashed_text(node)
        if term and len(term) < 200 and archive.search(node.attributes.get("href") or ""):
            seen.setdefault(term, None)
    return tuple(seen)


def _date_from(
    root: LexborNode | LexborHTMLParser,
    selectors: tuple[str, ...],
    languages: list[str],
    *,
    machine_only: bool = False,
) -> datetime | None:
    """The first date the selectors find. With ``machine_only``, a ``datetime`` attribute
    holding display text ("17:00, 24 December 2015") is passed over: a template that fills it
    so often prints an edited or displayed date rather than the publication's."""
    for selector in selectors:
        node = root.css_first(selector)
        if node is None:
            continue
        machine = node.attributes.get("datetime")
        if machine_only and machine and not _ISO_START.match(machine):
            continue
        rdfa = node.attributes.get("content")  # RDFa: the instant behind the displayed text
        if machine:
            values: tuple[str | None, ...] = (machine,)
        else:
            shown = node.attributes.get("title") or squashed_text(node)
            values = (rdfa if rdfa and _ISO_START.match(rdfa) else None, shown)
        for value in values:
            parsed = parse_datetime(value, languages=languages) if value else None
            if parsed is not None:
                return parsed
    return None


def _ld_date(ld: dict[str, Any], key: str, languages: list[str]) -> datetime | None:
    value = ld.get(key)
    return parse_datetime(value, languages=languages) if isinstance(value, str) else None


def _published(
    tree: LexborHTMLParser,
    scope: LexborNode | LexborHTMLParser,
    ld: dict[str, Any],
    languages: list[str],
    url: str | None,
) -> datetime | None:
    """The post's publication date: the post's own ``<time>`` markup, then the head's meta
    tags and JSON-LD, then display text in ``datetime`` attributes, then visible dates."""
    published = _date_from(scope, PUBLISHED_SELECTORS, languages, machine_only=True)
    if published is None:
        published = parse_datetime(_meta(tree, *PUBLISHED_META), languages=languages)
    if published is None:
        published = _ld_date(ld, "datePublished", languages)
    if published is None:
        published = _date_from(scope, PUBLISHED_SELECTORS, languages)
    if published is None:
        published = _date_from(scope, PUBLISHED_TEXT_SELECTORS, languages)
    if published is None:
        published = _date_from(tree, DAY_HEADER_SELECTORS, languages)
    if published is not None:
        ld_published = _ld_date(ld, "datePublished", languages)
        ld_modified = _ld_date(ld, "dateModified", languages)
        if (
            ld_published is not None
            and ld_modified is not None
            and published == ld_modified
            and _earlier(ld_published, ld_modified)
        ):
            # The value found is the one JSON-LD calls the last edit: Open Graph or the
            # theme's <time> printed the update, and JSON-LD still knows the first release.
            published = ld_published
        day = date_in_url(url)
        if day is not None:
            published = on_local_day(_day_month_as_in(published, day), day)
        if published.tzinfo is None and published.time() == time(0):
            published = _with_byline_time(published, scope)
    return published


def _day_month_as_in(value: datetime, day: date) -> datetime:
    """``value`` with its day and month swapped when that makes it the address's day.

    A theme that prints "10.03.06" gives no clue whether it means the 10th of March or the
    3rd of October; read in the wrong order it lands months away from the day the post's
    address names, which settles it.
    """
    if (value.year, value.day, value.month) != (day.year, day.month, day.day):
        return value
    return value.replace(month=value.day, day=value.month)


# "Posted in books at 12:41 am by danvk": classic WordPress themes print the date in one
# element and the time in the byline.
_BYLINE_SELECTORS = (".meta", ".postmetadata", ".post-meta", ".entry-meta", ".byline", ".posted")
_BYLINE_TIME = re.compile(
    r"\bat\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE
)


def _with_byline_time(value: datetime, scope: LexborNode | LexborHTMLParser) -> datetime:
    """A date-only ``value`` given the time of day the post's byline prints, if it does."""
    for selector in _BYLINE_SELECTORS:
        node = scope.css_first(selector)
        match = _BYLINE_TIME.search(squashed_text(node)) if node is not None else None
        if match is None:
            continue
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        half = (match[4] or "").lower()
        if half and not 1 <= hour <= 12:
            return value
        if half == "p" and hour < 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            return value
        return value.replace(hour=hour, minute=minute, second=second)
    return value


def _earlier(first: datetime, second: datetime) -> bool:
    """``first`` is before ``second``; False when only one of them knows its zone."""
    try:
        return first < second
    except TypeError:
        return False


def _author(root: LexborNode | LexborHTMLParser) -> tuple[str | None, str | None]:
    for selector in AUTHOR_SELECTORS:
        node = root.css_first(selector)
        name = clean_author(squashed_text(node))
        if node is None or not name:
            continue
        link = node if node.tag == "a" else node.css_first("a[href]")
        if link is None and node.parent is not None and node.parent.tag == "a":
            link = node.parent
        href = link.attributes.get("href") if link is not None else None
        return name, href or _rdfa_account(node)
    return None, None


def _rdfa_account(node: LexborNode) -> str | None:
    """The author's page an RDFa byline names without linking it: Drupal 7 prints
    ``<span class="username" about="/users/robert-douglass" typeof="sioc:UserAccount">``
    for a reader who may not see user profiles."""
    for candidate in (node, *node.css("[about][typeof]")):
        kinds = (candidate.attributes.get("typeof") or "").lower()
        about = (candidate.attributes.get("about") or "").strip()
        if about and ("useraccount" in kinds or "person" in kinds):
            return about
    return None


def _author_in_byline_text(root: LexborNode | LexborHTMLParser) -> str | None:
    """The name after "by" (or its translation) in a post's plain-text meta line."""
    for selector in BYLINE_LINE_SELECTORS:
        for node in root.css(selector):
            match = _BY_IN_LINE.search(squashed_text(node))
            name = clean_author(match.group("name")) if match else None
            if name:
                return name
    return None


def extract_metadata(
    tree: LexborHTMLParser, article: LexborNode | None, url: str | None = None
) -> PostMetadata:
    """Metadata of a single post; ``article`` is the post's own element when one was found,
    ``url`` the address the page was fetched from (its host may name the site)."""
    scope: LexborNode | LexborHTMLParser = article if article is not None else tree
    language = page_language(tree)
    languages = [language] if language else []
    ld = _ld_post(tree)
    page_url = _page_url(tree, url)

    title = _heading(scope) or _heading(tree)
    if not title:
        title = _ld_title(ld, tree)
    if not title:
        # Document titles usually carry the site's name as well: cut it off.
        head_title = _meta(tree, "og:title", "twitter:title") or squashed_text(
            tree.css_first("title")
        )
        if head_title:
            site_names = _site_names(tree, page_url)
            title = _heading_part(head_title, tree, site_names) or clean_title(
                head_title, site_names
            )

    author_name, author_url = _author(scope)
    if not author_name:
        ld_name, author_url = _ld_author(ld)
        author_name = clean_author(ld_name)
    if not author_name:
        author_name = clean_author(_meta(tree, "author", "article:author", "dc.creator"))
    if not author_name:
        author_name = _author_in_byline_text(scope)

    published = _published(tree, scope, ld, languages, page_url)
    updated = _date_from(scope, UPDATED_SELECTORS, languages)
    if updated is None:
        modified = _meta(tree, "article:modified_time", "dateModified")
        ld_modified = ld.get("dateModified")
        updated = parse_datetime(
            modified or (ld_modified if isinstance(ld_modified, str) else None),
            languages=languages,
        )

    categories = _categories(tree, scope, ld)
    tags = tuple(t for t in _tags(tree, scope) if t not in categories)
    canonical = tree.css_first('link[rel="canonical"]')
    return PostMetadata(
        title=title,
        author_name=author_name,
        author_url=author_url,
        published_at=published,
        updated_at=updated if updated != published else None,
        language=language,
        categories=categories,
        tags=tags,
        canonical_url=(canonical.attributes.get("href") if canonical is not None else None),
        site_name=_meta(tree, "og:site_name", "application-name"),
    )
