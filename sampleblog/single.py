"""Single post pages (each comment page of a post), the comment list, and static pages.

WordPress classes and ids are kept as the theme prints them, since those are what a parser
keys on: ``li.comment.depth-1`` is a top-level comment (WordPress counts depth from 1, the
truth file from 0), replies sit in ``ul.children``, pingbacks are ``li.post.pingback``.
"""

from __future__ import annotations

from sampleblog.dates import comment_date, iso, long_date
from sampleblog.layout import Head, author_link, avatar, document
from sampleblog.model import Language
from sampleblog.resolve import ROOT, Comment, Page, Post, Site, escape
from sampleblog.strings import COMMENTS_CLOSED, UI


def post_classes(post: Post) -> str:
    """``post_class()``: type, status, format and one class per category and tag."""
    classes = [f"post-{post.id}", "post", "type-post", "status-publish", "format-standard"]
    classes.append("hentry")
    classes += [f"category-{category.slug}" for category in post.categories]
    classes += [f"tag-{tag.slug}" for tag in post.tags]
    return " ".join(classes)


def entry_meta(post: Post, language: Language) -> str:
    """The date and byline under a post's title."""
    ui = UI[language]
    writer = post.writer
    return (
        f'<div class="entry-meta"><span class="sep">{ui["posted_on"]}</span>'
        f'<a href="{post.url}" title="{post.published:%H:%M}" rel="bookmark">'
        f'<time class="entry-date" datetime="{iso(post.published)}">'
        f"{long_date(post.published, language)}</time></a>"
        f'<span class="by-author"> <span class="sep">{ui["by"]}</span> '
        f'<span class="author vcard"><a class="url fn n" href="{ROOT}author/{writer.slug}/" '
        f'title="{escape(ui["view_all_by"].format(name=writer.name))}" rel="author">'
        f"{escape(writer.name)}</a></span></span></div>"
    )


def entry_footer(post: Post, language: Language) -> str:
    """Categories, tags and the permalink, below the post."""
    ui = UI[language]
    categories = ", ".join(
        f'<a href="{ROOT}category/{category.slug}/" '
        f'title="{escape(ui["view_category"].format(name=category.name))}" '
        f'rel="category tag">{escape(category.name)}</a>'
        for category in post.categories
    )
    tags = ", ".join(
        f'<a href="{ROOT}tag/{tag.slug}/" rel="tag">{escape(tag.name)}</a>' for tag in post.tags
    )
    text = ui["posted_in"].format(categories=categories)
    if tags:
        text += ui["tagged"].format(tags=tags)
    text += ui["bookmark"].format(url=post.url, title=escape(post.title))
    return f'<footer class="entry-meta entry-utility">\n{text}\n</footer><!-- .entry-meta -->'


def _comment_classes(comment: Comment, post: Post, parity: str, thread: str) -> str:
    classes = ["comment"]
    if comment.writer_slug:
        classes += ["byuser", f"comment-author-{comment.writer_slug}"]
        if comment.writer_slug == post.writer.slug:
            classes.append("bypostauthor")
    classes += [parity, thread, f"depth-{comment.depth + 1}"]
    return " ".join(classes)


def _render_comment(
    comment: Comment, post: Post, page: int, counter: list[int], thread: str
) -> str:
    """One comment and its replies, as ``wp_list_comments`` with the theme callback."""
    language = post.language
    ui = UI[language]
    counter[0] += 1
    parity = "even" if counter[0] % 2 else "odd alt"
    if comment.kind != "comment":
        # The theme prints pingbacks and trackbacks with neither avatar nor date.
        return (
            f'<li class="post {comment.kind}" id="li-comment-{comment.id}">'
            f"<p>{comment.content_html}</p></li>"
        )
    reply = ""
    if post.comments_open:
        reply = (
            f'<div class="reply"><a class=\'comment-reply-link\' rel="nofollow" '
            f"href='{post.comment_page_url(page)}?replytocom={comment.id}#respond' "
            f'onclick=\'return addComment.moveForm("comment-{comment.id}", '
            f'"{comment.id}", "respond", "{post.id}")\'>{ui["reply"]} <span>↓</span></a></div>'
        )
    children = ""
    if comment.children:
        inner = "\n".join(
            _render_comment(child, post, page, counter, thread) for child in comment.children
        )
        children = f'\n<ul class="children">\n{inner}\n</ul><!-- .children -->'
    classes = _comment_classes(comment, post, parity, thread)
    return f"""<li class="{classes}" id="li-comment-{comment.id}">
<article id="comment-{comment.id}" class="comment">
<footer class="comment-meta">
<div class="comment-author vcard">
{avatar(comment.author)}<span class="fn">{author_link(comment.author, comment.author_url)}\
</span> {ui["on"]} <a href="{post.comment_url(comment)}"><time datetime="{iso(comment.published)}">\
{comment_date(comment.published, language)}</time></a> <span class="says">{ui["said"]}</span>
</div><!-- .comment-author .vcard -->
</footer>
<div class="comment-content">{comment.content_html}</div>
{reply}
</article><!-- #comment-## -->{children}
</li><!-- #comment-## -->"""


def _comment_nav(post: Post, page: int, where: str) -> str:
    ui = UI[post.language]
    previous = next_link = ""
    if page > 1:
        previous = (
            f'<a href="{post.comment_page_url(page - 1)}#comments">{ui["older_comments"]}</a>'
        )
    if page < post.comment_pages:
        next_link = (
            f'<a href="{post.comment_page_url(page + 1)}#comments">{ui["newer_comments"]}</a>'
        )
    return (
        f'<nav id="comment-nav-{where}" class="comment-navigation">\n'
        f'<h1 class="assistive-text">{ui["comment_nav"]}</h1>\n'
        f'<div class="nav-previous">{previous}</div>\n'
        f'<div class="nav-next">{next_link}</div>\n</nav>'
    )


def _comment_form(post: Post, page: int) -> str:
    ui = UI[post.language]
    return f"""<div id="respond">
<h3 id="reply-title">{ui["leave_reply"]} <small><a rel="nofollow" \
id="cancel-comment-reply-link" href="{post.comment_page_url(page)}#respond" \
style="display:none;">{ui["cancel_reply"]}</a></small></h3>
<form action="{ROOT}wp-comments-post.php" method="post" id="commentform">
<p class="comment-notes">{ui["notes"]} <span class="required">*</span></p>
<p class="comment-form-author"><label for="author">{ui["name"]}</label> \
<span class="required">*</span><input id="author" name="author" type="text" value="" size="30" \
aria-required='true' /></p>
<p class="comment-form-email"><label for="email">{ui["email"]}</label> \
<span class="required">*</span><input id="email" name="email" type="text" value="" size="30" \
aria-required='true' /></p>
<p class="comment-form-url"><label for="url">{ui["website"]}</label>\
<input id="url" name="url" type="text" value="" size="30" /></p>
<p class="comment-form-comment"><label for="comment">{ui["comment"]}</label>\
<textarea id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" value="{ui["leave_reply"]}" />
<input type='hidden' name='comment_post_ID' value='{post.id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' /></p>
</form>
</div><!-- #respond -->"""


def comments_area(post: Post, page: int) -> str:
    """``#comments``: title, navigation, the list for one comment page, the form or a note."""
    ui = UI[post.language]
    total = len(post.comments)
    parts = ['<div id="comments">']
    if total:
        key = "thoughts_one" if total == 1 else "thoughts_many"
        title = ui[key].format(count=total, title=f"<span>{escape(post.title)}</span>")
        parts.append(f'<h2 id="comments-title">\n{title}\n</h2>')
        paged = post.comment_pages > 1
        if paged:
            parts.append(_comment_nav(post, page, "above"))
        counter = [0]
        items = []
        threads = [thread for thread in post.threads if thread.page == page]
        for index, thread in enumerate(threads):
            label = "thread-odd thread-alt" if index % 2 else "thread-even"
            items.append(_render_comment(thread, post, page, counter, label))
        parts.append('<ol class="commentlist">\n' + "\n".join(items) + "\n</ol>")
        if paged:
            parts.append(_comment_nav(post, page, "below"))
    if not post.comments_open:
        parts.append(f'<p class="nocomments">{COMMENTS_CLOSED}</p>')
    else:
        parts.append(_comment_form(post, page))
    parts.append("</div><!-- #comments -->")
    return "\n".join(parts)


def _post_nav(site: Site, post: Post) -> str:
    ui = UI[post.language]
    index = site.posts.index(post)
    previous = next_link = ""
    if index > 0:
        older = site.posts[index - 1]
        previous = (
            f'<span class="nav-previous"><a href="{older.url}" rel="prev">'
            f'<span class="meta-nav">←</span> {ui["previous"]}</a></span>'
        )
    if index + 1 < len(site.posts):
        newer = site.posts[index + 1]
        next_link = (
            f'<span class="nav-next"><a href="{newer.url}" rel="next">{ui["next"]} '
            '<span class="meta-nav">→</span></a></span>'
        )
    return (
        f'<nav id="nav-single">\n<h3 class="assistive-text">{ui["post_nav"]}</h3>\n'
        f"{previous}\n{next_link}\n</nav><!-- #nav-single -->"
    )


def render_post(site: Site, post: Post, page: int) -> str:
    """The single-post page for one comment page of ``post``."""
    url = post.comment_page_url(page)
    head = Head(
        title=f"{post.title} | {site.title}",
        language=post.language,
        body_class=f"single single-post postid-{post.id} single-format-standard singular "
        "two-column right-sidebar",
        canonical=url,
        post_feed=(post.title, f"{post.url}feed/"),
        modified=iso(post.updated) if post.updated else None,
    )
    article = f"""<article id="post-{post.id}" class="{post_classes(post)}">
<header class="entry-header">
<h1 class="entry-title">{escape(post.title)}</h1>
{entry_meta(post, post.language)}
</header><!-- .entry-header -->
<div class="entry-content">
{post.body_html}
</div><!-- .entry-content -->
{entry_footer(post, post.language)}
</article><!-- #post-{post.id} -->"""
    content = "\n".join([_post_nav(site, post), article, comments_area(post, page)])
    return document(site, head, content)


def render_page(site: Site, page: Page) -> str:
    """A static page: no date, no byline, no comments (the theme shows none on pages)."""
    head = Head(
        title=f"{page.title} | {site.title}",
        language=page.language,
        body_class=f"page page-id-{page.id} page-template-default singular two-column "
        "right-sidebar",
        canonical=page.url,
    )
    content = f"""<article id="post-{page.id}" class="post-{page.id} page type-page status-publish \
hentry">
<header class="entry-header">
<h1 class="entry-title">{escape(page.title)}</h1>
</header><!-- .entry-header -->
<div class="entry-content">
{page.body_html}
</div><!-- .entry-content -->
<footer class="entry-meta"></footer>
</article><!-- #post-{page.id} -->"""
    return document(site, head, content)
