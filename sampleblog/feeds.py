"""The machine-readable files: RSS 2.0 feeds, the sitemap and robots.txt.

Like WordPress, every feed holds at most ten items, newest first; so the comment feed of a
long discussion lists only its ten latest comments, and the rest are on the pages alone.
"""

from __future__ import annotations

from datetime import datetime

from sampleblog.dates import iso_utc, rfc822
from sampleblog.layout import GENERATOR
from sampleblog.markup import html_text
from sampleblog.resolve import FEED_ITEMS, ORIGIN, ROOT, Comment, Post, Site, escape
from sampleblog.strings import ANONYMOUS, SITE_LANGUAGE, UI

_RSS_OPEN = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\txmlns:slash="http://purl.org/rss/1.0/modules/slash/"
\t>
"""
_GENERATOR_URL = "http://wordpress.org/?v=" + GENERATOR.split()[-1]


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _channel(title: str, self_url: str, link: str, description: str, built: datetime) -> str:
    return (
        "<channel>\n"
        f"\t<title>{escape(title)}</title>\n"
        f'\t<atom:link href="{self_url}" rel="self" type="application/rss+xml" />\n'
        f"\t<link>{link}</link>\n"
        f"\t<description>{escape(description)}</description>\n"
        f"\t<lastBuildDate>{rfc822(built)}</lastBuildDate>\n"
        f"\t<language>{UI[SITE_LANGUAGE]['html_lang']}</language>\n"
        "\t<sy:updatePeriod>hourly</sy:updatePeriod>\n"
        "\t<sy:updateFrequency>1</sy:updateFrequency>\n"
        f"\t<generator>{_GENERATOR_URL}</generator>\n"
    )


def _latest(post: Post) -> datetime:
    dates = [post.published, *(c.published for c in post.comments)]
    if post.updated:
        dates.append(post.updated)
    return max(dates)


def posts_feed(site: Site) -> str:
    """``/feed/``: the ten newest posts with their full content and comment counts."""
    newest = sorted(site.posts, key=lambda post: post.published, reverse=True)[:FEED_ITEMS]
    built = max(_latest(post) for post in site.posts)
    items = []
    for post in newest:
        terms = [category.name for category in post.categories] + [tag.name for tag in post.tags]
        categories = "".join(f"\t\t<category>{_cdata(term)}</category>\n" for term in terms)
        summary = html_text(post.paragraphs[0])
        items.append(
            "\t<item>\n"
            f"\t\t<title>{escape(post.title)}</title>\n"
            f"\t\t<link>{post.url}</link>\n"
            f"\t\t<comments>{post.url}#comments</comments>\n"
            f"\t\t<pubDate>{rfc822(post.published)}</pubDate>\n"
            f"\t\t<dc:creator>{_cdata(post.writer.name)}</dc:creator>\n"
            f"{categories}"
            f'\t\t<guid isPermaLink="false">{ROOT}?p={post.id}</guid>\n'
            f"\t\t<description>{_cdata(summary + ' [&#8230;]')}</description>\n"
            f"\t\t<content:encoded>{_cdata(post.body_html)}</content:encoded>\n"
            f"\t\t<wfw:commentRss>{post.url}feed/</wfw:commentRss>\n"
            f"\t\t<slash:comments>{len(post.comments)}</slash:comments>\n"
            "\t</item>\n"
        )
    head = _channel(site.title, f"{ROOT}feed/", ORIGIN, site.tagline, built)
    return _RSS_OPEN + head + "".join(items) + "</channel>\n</rss>\n"


def _comment_item(post: Post, comment: Comment, title: str) -> str:
    author = comment.author or ANONYMOUS
    return (
        "\t<item>\n"
        f"\t\t<title>{escape(title)}</title>\n"
        f"\t\t<link>{post.comment_url(comment)}</link>\n"
        f"\t\t<dc:creator>{_cdata(author)}</dc:creator>\n"
        f"\t\t<pubDate>{rfc822(comment.published)}</pubDate>\n"
        f'\t\t<guid isPermaLink="false">{ROOT}?p={post.id}#comment-{comment.id}</guid>\n'
        f"\t\t<description>{_cdata(html_text(comment.feed_html))}</description>\n"
        f"\t\t<content:encoded>{_cdata(comment.feed_html)}</content:encoded>\n"
        "\t</item>\n"
    )


def post_comments_feed(site: Site, post: Post) -> str:
    """``<post>/feed/``: the post's ten latest comments, pingbacks and trackbacks included."""
    ui = UI[post.language]
    latest = sorted(post.comments, key=lambda c: c.published, reverse=True)[:FEED_ITEMS]
    items = "".join(
        _comment_item(post, c, ui["feed_by"].format(author=c.author or ANONYMOUS)) for c in latest
    )
    head = _channel(
        ui["feed_comments_on"].format(title=post.title),
        f"{post.url}feed/",
        post.url,
        site.tagline,
        _latest(post),
    )
    return _RSS_OPEN + head + items + "</channel>\n</rss>\n"


def site_comments_feed(site: Site) -> str:
    """``/comments/feed/``: the ten latest comments of the whole blog."""
    ui = UI[SITE_LANGUAGE]
    pairs = sorted(site.all_comments(), key=lambda pair: pair[1].published, reverse=True)
    items = "".join(
        _comment_item(
            post,
            comment,
            ui["feed_site_comment"].format(title=post.title, author=comment.author or ANONYMOUS),
        )
        for post, comment in pairs[:FEED_ITEMS]
    )
    head = _channel(
        ui["feed_site_comments"].format(site=site.title),
        f"{ROOT}comments/feed/",
        ORIGIN,
        site.tagline,
        pairs[0][1].published,
    )
    return _RSS_OPEN + head + items + "</channel>\n</rss>\n"


def sitemap(site: Site) -> str:
    """``/sitemap.xml``: every post and static page with its last modification."""
    entries = [(page.url, page.published) for page in site.pages]
    entries += [(post.url, _latest(post)) for post in site.posts]
    urls = "".join(
        f"<url><loc>{url}</loc><lastmod>{iso_utc(when)}</lastmod></url>\n" for url, when in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )


def robots_txt() -> str:
    """``/robots.txt`` as WordPress writes it, plus the sitemap."""
    return (
        "User-agent: *\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "\n"
        f"Sitemap: {ROOT}sitemap.xml\n"
    )
