"""A generated WordPress-classic blog of any size, served on 127.0.0.1, that knows its truth.

``GeneratedBlog(posts=2000, comments_per_post=4, seed=7)`` is deterministic from its seed and
size. Pages are rendered on each request from a few integers per post (date, author, comment
count), with the same markup as the bundled sample blog (``sampleblog.single`` and
``sampleblog.layout`` do the rendering), so 2,000 posts cost a few megabytes, not a mirror.

What it serves: the paginated home, monthly, category and author archives, every post with
threaded comments, pingbacks and paged comments (``comment-page-N/``), a comment feed per post,
``/feed/``, ``/sitemap.xml`` and ``/robots.txt`` (which disallows ``/private/``). With
``traps=True`` (the default) every page also carries what makes crawlers loop or waste
requests: an endless calendar (``?m=YYYYMM`` and day archives that always link the next day),
``?replytocom=`` and ``?share=`` links, session ids in the query and in the path, ``utm_*``
links, links into the disallowed ``/private/``, and a soft-404 catch-all that answers 200 to
any unknown path (``/nowhere/`` is linked) with a relative link that nests deeper forever.

The server logs every request (time, path with query, status, headers) behind a lock;
``truth`` lists the posts, comments and authors a perfect crawl must find.
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sampleblog.dates import iso, iso_utc, month_label, paris_offset, rfc822
from sampleblog.layout import Head, document
from sampleblog.listing import _excerpt as listing_excerpt  # the very markup of listings
from sampleblog.model import Category, CommentKind, Language, Writer
from sampleblog.resolve import ROOT, Comment, Page, Post, Site, Tag, escape
from sampleblog.server import LOGGED_HEADERS, RequestRecord, serve_in_thread, shut_down
from sampleblog.single import comments_area, entry_footer, entry_meta, post_classes
from sampleblog.strings import SITE_LANGUAGE, UI

__all__ = ["GeneratedBlog", "Truth", "TruthComment", "TruthPost"]

COMMENT_THREADS_PER_PAGE = 8  # as the bundled blog: WordPress "8 top-level comments per page"
FEED_ITEMS = 10
FIRST_POST_ID = 10
FIRST_COMMENT_ID = 5
START = datetime(2006, 1, 2, 9, 0)  # wall-clock Paris time of the first post
ROBOTS_DISALLOWED = "/private/"

_WRITERS = (
    Writer(slug="helene", name="Hélène Vasseur"),
    Writer(slug="tom", name="Tom Whitcombe"),
    Writer(slug="ines", name="Inès Marchal"),
)
_CATEGORIES = (
    Category(slug="carnet", name="Carnet"),
    Category(slug="archives-du-web", name="Archives du web"),
    Category(slug="photographie", name="Photographie"),
    Category(slug="logiciels", name="Logiciels"),
    Category(slug="lyon", name="Lyon"),
)
_TAGS = tuple(Tag(slug=s, name=s.replace("-", " ")) for s in ("blog", "memoire-du-web", "outils"))
_WORDS = (
    "archive", "carnet", "lien", "page", "serveur", "mémoire", "lecture", "commentaire", "photo",
    "ville", "rue", "pont", "fleuve", "colline", "traboule", "bibliothèque", "fichier", "disque",
    "réseau", "ancien", "nouveau", "premier", "dernier", "long", "court", "matin", "soir",
    "hiver", "été", "texte", "image", "forum", "liste", "courrier", "ami", "voisin", "question",
)  # fmt: skip
_EN_WORDS = (
    "archive", "notebook", "link", "page", "server", "memory", "reading", "comment", "photo",
    "city", "street", "bridge", "river", "hill", "library", "file", "disk", "network", "old",
    "new", "first", "last", "long", "short", "morning", "evening", "winter", "summer", "text",
    "image", "forum", "list", "mail", "friend", "neighbour", "question", "answer",
)  # fmt: skip
_FIRST = ("Marc", "Julie", "Sam", "Karin", "Paul", "Nadia", "Olga", "Yves", "Lea", "Hugo")
_LAST = ("Delorme", "B.", "Ellery", "Olsen", "Roux", "Benali", "Petrova", "Morel", "Chen", "Faure")
_PAGE = re.compile(r"^(?P<base>/.*?)page/(?P<n>\d+)/$")
_POST = re.compile(
    r"^/(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/(?P<slug>post-(?P<i>\d+)-[a-z]+)/"
    r"(?:comment-page-(?P<cp>\d+)/|(?P<feed>feed/))?$"
)
_MONTH = re.compile(r"^/(?P<y>\d{4})/(?P<m>\d\d)/$")
_DAY = re.compile(r"^/(?P<y>\d{4})/(?P<m>\d\d)/(?P<d>\d\d)/$")


@dataclass(frozen=True, kw_only=True, slots=True)
class TruthComment:
    """One comment, pingback or reply as the pages show it."""

    id: int  # WordPress's comment id, the ``comment-N`` of the page
    post_url: str
    parent_id: int | None
    depth: int
    kind: CommentKind
    author: str | None
    author_url: str | None
    published: str


@dataclass(frozen=True, kw_only=True, slots=True)
class TruthPost:
    """One post: where it lives and who wrote it."""

    url: str
    title: str
    author: str
    published: str
    comment_count: int
    comment_pages: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Truth:
    """What a perfect crawl of the generated blog finds."""

    posts: tuple[TruthPost, ...]
    comments: tuple[TruthComment, ...]
    authors: frozenset[str]  # names of post authors and of named commenters


def _paris(naive: datetime) -> datetime:
    return naive.replace(tzinfo=timezone(paris_offset(naive)))


# The number of posts written about one a day over 20 years (1,650 minutes apart on average).
SPAN_POSTS = 6_000


class GeneratedBlog:
    """A deterministic blog of ``posts`` posts; ``start()`` serves it and returns its URL."""

    def __init__(
        self,
        posts: int = 2000,
        comments_per_post: float = 4.0,
        seed: int = 0,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        per_page: int = 10,
        traps: bool = True,
        crawl_delay: float | None = None,
        post_feeds: bool = True,
    ) -> None:
        self.size = posts
        self.seed = seed
        self.host = host
        self.port = port
        self.per_page = per_page
        self.traps = traps
        self.crawl_delay = crawl_delay
        self.post_feeds = post_feeds
        self.base_url = ""
        rng = random.Random(seed)
        # The compact data: minutes after START, writer, comment count, one word of slug.
        minutes, total = [], 0
        # About a post a day up to SPAN_POSTS posts; a bigger blog posts more often, so that it
        # still spans about 20 years (100,000 daily posts would run to the year 2300, every
        # page listing 3,600 monthly archives).
        squeeze = min(1.0, SPAN_POSTS / posts) if posts else 1.0
        for _ in range(posts):
            total += max(1, int(rng.randint(300, 3000) * squeeze))
            minutes.append(total)
        self._minutes = minutes
        self._counts = [
            rng.randint(0, int(2 * comments_per_post))
            + (3 * COMMENT_THREADS_PER_PAGE if i % 97 == 5 else 0)
            for i in range(posts)
        ]
        self._words = [rng.randrange(len(_EN_WORDS)) for _ in range(posts)]
        self._first_comment = [FIRST_COMMENT_ID]
        for count in self._counts:
            self._first_comment.append(self._first_comment[-1] + count)
        self._months = sorted({(d.year, d.month) for d in map(self._naive, range(posts))})
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._truth: Truth | None = None
        self._site_shell = self._site()

    # -- the compact data, expanded on demand ------------------------------------------------

    def _naive(self, i: int) -> datetime:
        return START + timedelta(minutes=self._minutes[i])

    def _slug(self, i: int) -> str:
        return f"post-{i}-{_EN_WORDS[self._words[i]]}"

    def _url(self, i: int) -> str:
        return f"{ROOT}{self._naive(i):%Y/%m/%d}/{self._slug(i)}/"

    def _language(self, i: int) -> Language:
        return "en" if i % 4 == 3 else "fr"

    def _comments(self, i: int) -> tuple[Comment, ...]:
        """The threads of post ``i``: replies nest up to depth 3; some are pingbacks."""
        rng = random.Random(self.seed * 1_000_003 + i)
        count = self._counts[i]
        first = self._first_comment[i]
        posted = self._naive(i)
        writer = _WRITERS[i % len(_WRITERS)]
        rows: list[dict[str, Any]] = []
        for j in range(count):
            parent: int | None = None
            candidates = [r for r in rows if r["kind"] == "comment" and r["depth"] < 3]
            if candidates and rng.random() < 0.35:
                parent = rng.choice(candidates)["j"]
            kind: CommentKind = "pingback" if parent is None and rng.random() < 0.08 else "comment"
            by_writer = kind == "comment" and parent is not None and rng.random() < 0.3
            if kind == "pingback":
                name: str | None = f"Lien vers le billet {i} ({j})"
                url: str | None = f"http://other-blog-{j % 7}.example/{i}/{j}/"
            elif by_writer:
                name, url = writer.name, f"{ROOT}author/{writer.slug}/"
            elif rng.random() < 0.05:
                name, url = None, None
            else:
                who = rng.randrange(len(_FIRST) * len(_LAST))
                name = f"{_FIRST[who % len(_FIRST)]} {_LAST[who // len(_FIRST)]}"
                url = f"http://{name.split()[0].lower()}.example/" if who % 3 == 0 else None
            words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 30))]
            rows.append(
                {
                    "j": j,
                    "parent": parent,
                    "depth": 0 if parent is None else rows[parent]["depth"] + 1,
                    "kind": kind,
                    "name": name,
                    "url": url,
                    "writer": writer.slug if by_writer else None,
                    "when": _paris(posted + timedelta(minutes=37 * (j + 1))),
                    "html": f"<p>{escape(' '.join(words).capitalize())} (n° {first + j}).</p>",
                }
            )
        children: dict[int | None, list[int]] = {}
        for row in rows:
            children.setdefault(row["parent"], []).append(row["j"])

        def build(j: int, page: int) -> Comment:
            row = rows[j]
            content = row["html"]
            if row["kind"] == "pingback":
                content = (
                    f"Pingback : <a href='{escape(row['url'])}' rel='external nofollow ugc' "
                    f"class='url'>{escape(row['name'])}</a>"
                )
            return Comment(
                id=first + j,
                parent_id=None if row["parent"] is None else first + row["parent"],
                depth=row["depth"],
                page=page,
                kind=row["kind"],
                author=row["name"],
                author_url=row["url"],
                published=row["when"],
                title=None,
                content_html=content,
                text="",
                links=(),
                feed_html=row["html"],
                by_post_author=row["writer"] is not None,
                writer_slug=row["writer"],
                children=tuple(build(c, page) for c in children.get(j, [])),
            )

        return tuple(
            build(j, position // COMMENT_THREADS_PER_PAGE + 1)
            for position, j in enumerate(children.get(None, []))
        )

    def post(self, i: int, *, with_comments: bool = True) -> Post:
        """Post ``i`` (0 is the oldest) as the renderers take it."""
        rng = random.Random(self.seed * 7_000_001 + i)
        language = self._language(i)
        words = _EN_WORDS if language == "en" else _WORDS
        paragraphs = [
            "<p>"
            + escape(" ".join(rng.choice(words) for _ in range(rng.randint(30, 70))))
            + ".</p>"
            for _ in range(3)
        ]
        if i > 0:
            older = rng.randrange(i)
            paragraphs[1] = (
                paragraphs[1][:-4] + f' <a href="{self._url(older)}">billet {older}</a>.</p>'
            )
        threads = self._comments(i) if with_comments else ()
        title = f"Billet {i} : {words[self._words[i] % len(words)]}"
        return Post(
            id=FIRST_POST_ID + 2 * i,
            url=self._url(i),
            slug=self._slug(i),
            title=title.capitalize(),
            writer=_WRITERS[i % len(_WRITERS)],
            language=language,
            published=_paris(self._naive(i)),
            updated=None,
            categories=(_CATEGORIES[i % len(_CATEGORIES)],),
            tags=(_TAGS[i % len(_TAGS)],) if i % 2 else (),
            paragraphs=tuple(paragraphs),
            comments_open=i % 3 != 0,
            threads=threads,
            comment_pages=max(1, -(-len(threads) // COMMENT_THREADS_PER_PAGE)),
        )

    # -- truth -------------------------------------------------------------------------------

    @property
    def truth(self) -> Truth:
        """Posts, comments and authors; URLs at the served origin once started."""
        if self._truth is None:
            posts: list[TruthPost] = []
            comments: list[TruthComment] = []
            authors = {writer.name for writer in _WRITERS}
            for i in range(self.size):
                post = self.post(i)
                url = self._here(post.url)
                everything = post.comments
                posts.append(
                    TruthPost(
                        url=url,
                        title=post.title,
                        author=post.writer.name,
                        published=iso(post.published),
                        comment_count=len(everything),
                        comment_pages=post.comment_pages,
                    )
                )
                for c in everything:
                    comments.append(
                        TruthComment(
                            id=c.id,
                            post_url=url,
                            parent_id=c.parent_id,
                            depth=c.depth,
                            kind=c.kind,
                            author=c.author,
                            author_url=self._here(c.author_url) if c.author_url else None,
                            published=iso(c.published),
                        )
                    )
                    if c.author:
                        authors.add(c.author)
            self._truth = Truth(
                posts=tuple(posts), comments=tuple(comments), authors=frozenset(authors)
            )
        return self._truth

    def _here(self, text: str) -> str:
        return text.replace(ROOT, self.base_url) if self.base_url else text

    # -- pages -------------------------------------------------------------------------------

    def _site(self) -> Site:
        """The shell the layout needs: the sidebar's five newest posts and one post per month."""
        newest = list(range(max(0, self.size - 5), self.size))
        per_month: dict[tuple[int, int], int] = {}
        for i in range(self.size):
            per_month.setdefault((self._naive(i).year, self._naive(i).month), i)
        shown = sorted(set(newest) | set(per_month.values()))
        return Site(
            title="Carnet généré",
            tagline="Un blog de test, billet après billet",
            writers=_WRITERS,
            categories=_CATEGORIES,
            tags=_TAGS,
            posts=tuple(self.post(i, with_comments=False) for i in shown),
            pages=(
                Page(
                    id=2,
                    url=f"{ROOT}about/",
                    slug="about",
                    title="À propos",
                    writer=_WRITERS[0],
                    language="fr",
                    published=_paris(START),
                    paragraphs=("<p>Ce carnet est généré pour les tests de blogcorpus.</p>",),
                ),
            ),
            blogroll=(("http://planet.example/", "Planète", "Les carnets amis"),),
        )

    def _traps(self, path: str, year: int, month: int) -> str:
        """A widget of links that lead crawlers astray (each kind named in the module doc)."""
        # A new "session" per page, as a site minting ids per visit shows a crawler; derived
        # from the path so pages stay byte-identical between crawls (conditional requests).
        sid = hashlib.sha1(f"{self.seed}{path}".encode(), usedforsecurity=False).hexdigest()[:12]
        later = (year + month // 12, month % 12 + 1)
        return f"""<aside id="traps" class="widget widget_calendar">
<h3 class="widget-title">Calendrier</h3>
<a href="{ROOT}?m={year}{month:02d}">{month:02d}/{year}</a>
<a href="{ROOT}?m={later[0]}{later[1]:02d}">»</a>
<a href="{ROOT}{year}/{month:02d}/01/">1</a>
<a href="{ROOT}{path.lstrip("/")}?share=twitter&amp;nb=1">Partager</a>
<a href="{ROOT}{path.lstrip("/")}?PHPSESSID={sid}">Session</a>
<a href="{ROOT}about/;jsessionid={sid}">À propos</a>
<a href="{ROOT}feed/?utm_source=sidebar&amp;utm_medium={sid}">Flux</a>
<a href="{ROOT}private/drafts-{sid[:4]}/">Brouillons</a>
<a href="{ROOT}nowhere/">Ailleurs</a>
</aside>"""

    def _document(self, head: Head, content: str, path: str, when: tuple[int, int]) -> str:
        html = document(self._site_shell, head, content)
        if self.traps:
            html = html.replace(
                "</div><!-- #secondary -->",
                self._traps(path, *when) + "\n</div><!-- #secondary -->",
            )
        return html

    def render_post(self, i: int, page: int) -> str | None:
        """Comment page ``page`` of post ``i``, or None when it has no such page."""
        post = self.post(i)
        if not 1 <= page <= post.comment_pages:
            return None
        head = Head(
            title=f"{post.title} | Carnet généré",
            language=post.language,
            body_class=f"single single-post postid-{post.id} single-format-standard singular",
            canonical=post.comment_page_url(page),
            # Without the per-post comment feeds a crawl needs half the requests.
            post_feed=(post.title, f"{post.url}feed/") if self.post_feeds else None,
        )
        nav = []
        if i > 0:
            nav.append(f'<span class="nav-previous"><a href="{self._url(i - 1)}" rel="prev">←</a>')
        if i + 1 < self.size:
            nav.append(f'<span class="nav-next"><a href="{self._url(i + 1)}" rel="next">→</a>')
        article = f"""<nav id="nav-single">{"</span>".join(nav)}</span></nav>
<article id="post-{post.id}" class="{post_classes(post)}">
<header class="entry-header">
<h1 class="entry-title">{escape(post.title)}</h1>
{entry_meta(post, post.language)}
</header><!-- .entry-header -->
<div class="entry-content">
{post.body_html}
</div><!-- .entry-content -->
{entry_footer(post, post.language)}
</article><!-- #post-{post.id} -->"""
        when = (post.published.year, post.published.month)
        path = "/" + post.url.removeprefix(ROOT)
        return self._document(head, article + "\n" + comments_area(post, page), path, when)

    def _listing(self, base: str, title: str | None, members: list[int], number: int) -> str | None:
        """Page ``number`` of an archive listing ``members`` (oldest first in the list)."""
        pages = max(1, -(-len(members) // self.per_page))
        if not 1 <= number <= pages:
            return None
        newest = members[::-1][(number - 1) * self.per_page : number * self.per_page]
        ui = UI[SITE_LANGUAGE]

        def page_url(n: int) -> str:
            return f"{ROOT}{base.lstrip('/')}" + ("" if n == 1 else f"page/{n}/")

        older = page_url(number + 1) if number < pages else None
        newer = page_url(number - 1) if number > 1 else None
        head = Head(
            title=f"{title or 'Carnet généré'} | Page {number}",
            language=SITE_LANGUAGE,
            body_class="archive blog",
            prev_url=newer,
            next_url=older,
        )
        parts = [f'<header class="page-header"><h1 class="page-title">{title}</h1></header>']
        parts = parts if title else []
        parts += [listing_excerpt(self.post(i)) for i in newest]
        previous = f'<a href="{older}">{ui["older_posts"]}</a>' if older else ""
        following = f'<a href="{newer}">{ui["newer_posts"]}</a>' if newer else ""
        parts.append(
            f'<nav id="nav-below"><div class="nav-previous">{previous}</div>'
            f'<div class="nav-next">{following}</div></nav><!-- #nav-below -->'
        )
        when = (self._naive(newest[0]).year, self._naive(newest[0]).month) if newest else (2006, 1)
        return self._document(head, "\n".join(parts), base, when)

    def _month_members(self, year: int, month: int) -> list[int]:
        low = (datetime(year, month, 1) - START).total_seconds() / 60
        high_month = datetime(year + month // 12, month % 12 + 1, 1)
        high = (high_month - START).total_seconds() / 60
        return list(range(bisect_left(self._minutes, low), bisect_left(self._minutes, high)))

    def _calendar(self, path: str, ym: str, day: tuple[int, int, int] | None) -> str:
        """The endless calendar: every month and day page links the next one, posts or not."""
        if day is not None:
            current = datetime(*day)
            following = current + timedelta(days=1)
            nxt = f"{ROOT}{following:%Y/%m/%d}/"
            members: list[int] = []
            year, month = day[0], day[1]
        else:
            digits = (ym + "000000")[:6]
            year = int(digits[:4]) if digits[:4].isdigit() else 2006
            month = min(max(int(digits[4:]) if digits[4:].isdigit() else 1, 1), 12)
            nxt = f"{ROOT}?m={year + month // 12}{month % 12 + 1:02d}"
            members = self._month_members(year, month)
        head = Head(title=f"Calendrier {path}", language=SITE_LANGUAGE, body_class="archive date")
        items = [listing_excerpt(self.post(i)) for i in members[-self.per_page :][::-1]]
        content = "\n".join([*items, f'<nav id="nav-below"><a href="{nxt}">suivant</a></nav>'])
        return self._document(head, content, path, (year, month))

    def _soft_404(self, path: str) -> str:
        head = Head(title="Introuvable", language=SITE_LANGUAGE, body_class="error404")
        # A relative link: from /a/ it leads to /a/archives/, then /a/archives/archives/ ...
        content = (
            f'<p>Rien ne correspond à {escape(path)}. <a href="archives/">Voir les archives</a></p>'
        )
        return self._document(head, content, "/", (2006, 1))

    def _feed(self) -> str:
        items = []
        for i in range(self.size - 1, max(-1, self.size - 1 - FEED_ITEMS), -1):
            post = self.post(i, with_comments=False)
            items.append(
                f"<item><title>{escape(post.title)}</title><link>{post.url}</link>"
                f"<pubDate>{rfc822(post.published)}</pubDate>"
                f"<dc:creator><![CDATA[{post.writer.name}]]></dc:creator>"
                + (f"<wfw:commentRss>{post.url}feed/</wfw:commentRss>" if self.post_feeds else "")
                + f"<slash:comments>{self._counts[i]}</slash:comments></item>\n"
            )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
            'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">\n'
            f"<channel><title>Carnet généré</title><link>{ROOT}</link>\n"
            + "".join(items)
            + "</channel></rss>\n"
        )

    def _post_feed(self, i: int) -> str:
        post = self.post(i)
        latest = sorted(post.comments, key=lambda c: c.published, reverse=True)[:FEED_ITEMS]
        items = "".join(
            f"<item><title>Par : {escape(c.author or 'Anonymous')}</title>"
            f"<link>{post.comment_url(c)}</link>"
            f"<dc:creator><![CDATA[{c.author or 'Anonymous'}]]></dc:creator>"
            f"<pubDate>{rfc822(c.published)}</pubDate>"
            f'<guid isPermaLink="false">{ROOT}?p={post.id}#comment-{c.id}</guid>'
            f"<content:encoded><![CDATA[{c.feed_html}]]></content:encoded></item>\n"
            for c in latest
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
            f"<channel><title>Commentaires sur : {escape(post.title)}</title>"
            f"<link>{post.url}</link>\n{items}</channel></rss>\n"
        )

    def _sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self._url(i)}</loc>"
            f"<lastmod>{iso_utc(_paris(self._naive(i)))}</lastmod></url>\n"
            for i in range(self.size)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
        )

    def _robots(self) -> str:
        delay = f"Crawl-delay: {self.crawl_delay:g}\n" if self.crawl_delay is not None else ""
        return (
            f"User-agent: *\nDisallow: /wp-admin/\nDisallow: {ROBOTS_DISALLOWED}\n{delay}\n"
            f"Sitemap: {ROOT}sitemap.xml\n"
        )

    def page(self, target: str) -> tuple[int, str, str]:
        """Status, content type and text for a request target (path and query)."""
        html = "text/html; charset=UTF-8"
        parts = urlsplit(target)
        path, query = parts.path or "/", parse_qs(parts.query)
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self._robots()
        if path == "/sitemap.xml":
            return 200, "application/xml; charset=UTF-8", self._sitemap()
        if path == "/feed/":
            return 200, "application/rss+xml; charset=UTF-8", self._feed()
        if path.startswith(ROBOTS_DISALLOWED):
            return 200, html, "<html><body><p>Brouillon privé.</p></body></html>"
        if path == "/" and "m" in query and self.traps:
            return 200, html, self._calendar(target, query["m"][0], None)
        if path == "/about/":
            shell = self._site_shell
            head = Head(title="À propos", language="fr", body_class="page")
            return 200, html, self._document(head, shell.pages[0].body_html, path, (2006, 1))
        text = self._route(path)
        if text is not None:
            return 200, html, text
        if path.endswith("/feed/"):
            match = _POST.match(path)
            if match and self._is_post(match):
                return 200, "application/rss+xml; charset=UTF-8", self._post_feed(int(match["i"]))
        day = _DAY.match(path)
        if day and self.traps:
            stamp = (int(day["y"]), int(day["m"]), int(day["d"]))
            try:
                return 200, html, self._calendar(path, "", stamp)
            except ValueError:
                pass
        if self.traps:
            return 200, html, self._soft_404(path)
        return 404, html, "<html><body><p>Not found</p></body></html>"

    def _is_post(self, match: re.Match[str]) -> bool:
        i = int(match["i"])
        if not 0 <= i < self.size:
            return False
        return f"{self._naive(i):%Y/%m/%d}/{self._slug(i)}" == (
            f"{match['y']}/{match['m']}/{match['d']}/{match['slug']}"
        )

    def _route(self, path: str) -> str | None:
        """HTML for posts and listings, or None."""
        post = _POST.match(path)
        if post and not post["feed"] and self._is_post(post):
            return self.render_post(int(post["i"]), int(post["cp"] or 1))
        number = 1
        paged = _PAGE.match(path)
        if paged:
            path, number = paged["base"], int(paged["n"])
        if path == "/":
            return self._listing("/", None, list(range(self.size)), number)
        month = _MONTH.match(path)
        if month and (int(month["y"]), int(month["m"])) in self._months:
            year, mm = int(month["y"]), int(month["m"])
            label = UI[SITE_LANGUAGE]["monthly"].format(label=month_label(year, mm, SITE_LANGUAGE))
            return self._listing(path, label, self._month_members(year, mm), number)
        for index, category in enumerate(_CATEGORIES):
            if path == f"/category/{category.slug}/":
                members = list(range(index, self.size, len(_CATEGORIES)))
                return self._listing(path, escape(category.name), members, number)
        for index, writer in enumerate(_WRITERS):
            if path == f"/author/{writer.slug}/":
                members = list(range(index, self.size, len(_WRITERS)))
                return self._listing(path, escape(writer.name), members, number)
        return None

    # -- serving -----------------------------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of the request log, oldest first (``path`` keeps the query)."""
        with self._lock:
            return list(self._requests)

    def record(self, entry: RequestRecord) -> None:
        """Append to the request log (from the handler threads)."""
        with self._lock:
            self._requests.append(entry)

    def start(self) -> str:
        """Serve in a daemon thread; returns the base URL ``http://host:port/``."""
        if self._httpd is not None:
            return self.base_url
        self._httpd = _Server((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://{self.host}:{self.port}/"
        self._truth = None  # URLs move to the served origin
        self._thread = serve_in_thread(self._httpd, f"generated-blog-{self.port}")
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        shut_down(self._httpd, self._thread)
        self._httpd = None

    def post_index(self, url: str) -> int | None:
        """Which post a URL (at the served origin) belongs to, if any."""
        match = _POST.match(urlsplit(url).path)
        return int(match["i"]) if match and self._is_post(match) else None

    def iter_urls(self) -> Iterator[str]:
        """Every post URL at the served origin, oldest first."""
        for i in range(self.size):
            yield self._here(self._url(i))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "blogcorpus-generated/1.0"
    # Headers and body go out as two writes; with Nagle's algorithm the second waits ~40 ms
    # for the client's delayed ACK on every keep-alive response.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def do_GET(self) -> None:
        blog = self.server.owner
        try:
            status, content_type, text = blog.page(self.path)
        except Exception:  # a bug in the generator must show as a 500, not a dead socket
            status, content_type, text = 500, "text/plain", "generator error\n"
        body = blog._here(text).encode("utf-8")
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            status, body = HTTPStatus.NOT_MODIFIED.value, b""
        headers = {name: self.headers[name] for name in LOGGED_HEADERS if name in self.headers}
        blog.record(
            RequestRecord(
                time=time.monotonic(),
                method="GET",
                path=self.path,
                status=status,
                headers=headers,
            )
        )
        self.send_response(status)
        if status != HTTPStatus.NOT_MODIFIED:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Date", datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT"))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # crawlers open several connections at once

    def __init__(self, address: tuple[str, int], owner: GeneratedBlog) -> None:
        self.owner = owner
        super().__init__(address, _Handler)
