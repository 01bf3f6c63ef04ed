"""The page shell every HTML page shares: head, header, sidebar, footer (Twenty Eleven style).

The sidebar matters to a crawler as much as the content: it links the recent posts, every
monthly archive and category, and a blogroll of external sites that are not links of any post.
It is kept short because it repeats on every page and the whole mirror should stay small.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sampleblog.dates import month_label
from sampleblog.model import Language
from sampleblog.resolve import ROOT, Site, escape
from sampleblog.strings import ANONYMOUS, UI

GENERATOR = "WordPress 3.5.1"
STYLESHEET = f"{ROOT}wp-content/themes/twentyeleven/style.css"


@dataclass(frozen=True, kw_only=True, slots=True)
class Head:
    """What differs in ``<head>`` from page to page."""

    title: str
    language: Language
    body_class: str
    canonical: str | None = None
    post_feed: tuple[str, str] | None = None  # (title, url) of the post's comment feed
    prev_url: str | None = None
    next_url: str | None = None
    modified: str | None = None


def avatar(name: str | None) -> str:
    """A Gravatar image tag like WordPress prints; the hash stands in for the e-mail's."""
    digest = hashlib.md5((name or "").encode("utf-8"), usedforsecurity=False).hexdigest()
    return (
        f"<img alt='' src='http://0.gravatar.com/avatar/{digest}?s=68&amp;d=identicon&amp;r=G' "
        "class='avatar avatar-68 photo' height='68' width='68' />"
    )


def author_link(name: str | None, url: str | None) -> str:
    """``comment_author_link()``: the name, linked when the commenter gave a website."""
    shown = escape(name) if name else ANONYMOUS
    if not url:
        return shown
    return f"<a href='{escape(url)}' rel='external nofollow ugc' class='url'>{shown}</a>"


def _head(site: Site, head: Head) -> str:
    ui = UI[head.language]
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{ui["html_lang"]}">',
        "<head>",
        '<meta charset="UTF-8" />',
        '<meta name="viewport" content="width=device-width" />',
        f"<title>{escape(head.title)}</title>",
        '<link rel="profile" href="http://gmpg.org/xfn/11" />',
        f'<link rel="stylesheet" type="text/css" media="all" href="{STYLESHEET}" />',
        f'<link rel="pingback" href="{ROOT}xmlrpc.php" />',
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.title)} » '
        f'{ui["feed"]}" href="{ROOT}feed/" />',
        f'<link rel="alternate" type="application/rss+xml" title="{escape(site.title)} » '
        f'{ui["comments_feed"]}" href="{ROOT}comments/feed/" />',
    ]
    if head.post_feed:
        title, url = head.post_feed
        lines.append(
            f'<link rel="alternate" type="application/rss+xml" title="{escape(site.title)} » '
            f'{escape(ui["post_comments_feed"].format(title=title))}" href="{url}" />'
        )
    if head.prev_url:
        lines.append(f"<link rel='prev' href='{head.prev_url}' />")
    if head.next_url:
        lines.append(f"<link rel='next' href='{head.next_url}' />")
    lines.append(f'<meta name="generator" content="{GENERATOR}" />')
    if head.canonical:
        lines.append(f"<link rel='canonical' href='{head.canonical}' />")
    if head.modified:
        lines.append(f'<meta property="article:modified_time" content="{head.modified}" />')
    lines += ["</head>", f'<body class="{head.body_class}">']
    return "\n".join(lines)


def _header(site: Site, language: Language) -> str:
    ui = UI[language]
    page_items = "".join(
        f'<li class="page_item page-item-{page.id}"><a href="{page.url}">{escape(page.title)}'
        "</a></li>"
        for page in site.pages
    )
    return f"""<div id="page" class="hfeed">
<header id="branding" role="banner">
<hgroup>
<h1 id="site-title"><span><a href="{ROOT}" title="{escape(site.title)}" rel="home">\
{escape(site.title)}</a></span></h1>
<h2 id="site-description">{escape(site.tagline)}</h2>
</hgroup>
<nav id="access" role="navigation">
<h3 class="assistive-text">{ui["main_menu"]}</h3>
<div class="menu"><ul><li><a href="{ROOT}">{ui["home"]}</a></li>{page_items}</ul></div>
</nav>
</header>
<div id="main">"""


def _sidebar(site: Site, language: Language) -> str:
    ui = UI[language]
    newest = sorted(site.posts, key=lambda post: post.published, reverse=True)
    recent_posts = "\n".join(
        f'<li><a href="{post.url}">{escape(post.title)}</a></li>' for post in newest[:5]
    )
    months = sorted({(post.published.year, post.published.month) for post in site.posts})
    archives = "\n".join(
        f"<li><a href='{ROOT}{year}/{month:02d}/'>{month_label(year, month, language)}</a></li>"
        for year, month in reversed(months)
    )
    categories = "\n".join(
        f'<li class="cat-item cat-item-{index + 3}"><a href="{ROOT}category/{category.slug}/">'
        f"{escape(category.name)}</a></li>"
        for index, category in enumerate(site.categories)
    )
    blogroll = "\n".join(
        f'<li><a href="{url}" title="{escape(description)}">{escape(name)}</a></li>'
        for url, name, description in site.blogroll
    )
    return f"""<div id="secondary" class="widget-area" role="complementary">
<aside id="recent-posts-2" class="widget widget_recent_entries">
<h3 class="widget-title">{ui["recent_posts"]}</h3>
<ul>
{recent_posts}
</ul>
</aside>
<aside id="archives-2" class="widget widget_archive">
<h3 class="widget-title">{ui["archives"]}</h3>
<ul>
{archives}
</ul>
</aside>
<aside id="categories-2" class="widget widget_categories">
<h3 class="widget-title">{ui["categories"]}</h3>
<ul>
{categories}
</ul>
</aside>
<aside id="linkcat-2" class="widget widget_links">
<h3 class="widget-title">{ui["blogroll"]}</h3>
<ul class="xoxo blogroll">
{blogroll}
</ul>
</aside>
</div><!-- #secondary -->"""


def _footer(language: Language) -> str:
    ui = UI[language]
    return f"""</div><!-- #main -->
<footer id="colophon" role="contentinfo">
<div id="site-generator">
<a href="http://wordpress.org/" title="Semantic Personal Publishing Platform">{ui["powered"]}</a>
</div>
</footer><!-- #colophon -->
</div><!-- #page -->
</body>
</html>
"""


def document(site: Site, head: Head, content: str) -> str:
    """A whole HTML page around ``content`` (the inside of ``#content``)."""
    return "\n".join(
        [
            _head(site, head),
            _header(site, head.language),
            '<div id="primary">',
            '<div id="content" role="main">',
            content,
            "</div><!-- #content -->",
            "</div><!-- #primary -->",
            _sidebar(site, head.language),
            _footer(head.language),
        ]
    )
