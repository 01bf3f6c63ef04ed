"""The sample blog: its server, and its truth checked against the files it describes.

The truth checks read the generated pages and feeds with selectolax and the XML parser, never
the generator's data, so a generator bug that makes the truth and the pages disagree fails
here.
"""

from __future__ import annotations

import http.client
import re
import threading
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from sampleblog import (
    PLACEHOLDER_ORIGIN,
    SITE_DIR,
    TRUTH_PATH,
    SiteServer,
    load_truth,
    serve_sample_blog,
)
from sampleblog.build import build

ROOT = PLACEHOLDER_ORIGIN + "/"
NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def norm(text: str) -> str:
    return " ".join(text.split())


def file_for(url: str) -> Path:
    """The mirror file behind a placeholder URL (directory URLs end in index.html)."""
    relative = url.removeprefix(ROOT).split("#")[0]
    path = SITE_DIR / relative
    if relative == "" or relative.endswith("/"):
        html = path / "index.html"
        return html if html.exists() else path / "index.xml"
    return path


def page(url: str) -> LexborHTMLParser:
    return LexborHTMLParser(file_for(url).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def truth() -> dict[str, Any]:
    return load_truth()


@pytest.fixture
def server() -> Any:
    with serve_sample_blog() as running:
        yield running


def raw_get(server: SiteServer, path: str, headers: dict[str, str] | None = None) -> Any:
    """A request with the path sent exactly as given (httpx would normalize dot segments)."""
    host, port = server.base_url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# --- the server -------------------------------------------------------------------------


def test_serves_home_with_origin_rewritten(server: SiteServer) -> None:
    response = httpx.get(server.base_url, trust_env=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "sample-blog.example" not in response.text
    assert f'href="{server.base_url}2013/06/14/sept-ans-de-carnet/"' in response.text


def test_rewrites_origin_in_feeds_sitemap_and_robots(server: SiteServer) -> None:
    with httpx.Client(base_url=server.base_url, trust_env=False) as client:
        feed = client.get("feed/")
        sitemap = client.get("sitemap.xml")
        robots = client.get("robots.txt")
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert robots.headers["content-type"].startswith("text/plain")
    for response in (feed, sitemap, robots):
        assert response.status_code == 200
        assert "sample-blog.example" not in response.text
        assert server.base_url in response.text
    assert f"Sitemap: {server.base_url}sitemap.xml" in robots.text


def test_missing_file_is_404_and_head_has_no_body(server: SiteServer) -> None:
    with httpx.Client(base_url=server.base_url, trust_env=False) as client:
        assert client.get("2006/06/08/no-such-post/").status_code == 404
        assert client.get("wp-login.php").status_code == 404
        head = client.head("about/")
        get = client.get("about/")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(get.content)


def test_directory_without_slash_redirects(server: SiteServer) -> None:
    response = httpx.get(server.base_url + "about", trust_env=False)
    assert response.status_code == 301
    assert response.headers["location"] == server.base_url + "about/"


def test_query_strings_are_ignored(server: SiteServer) -> None:
    url = server.base_url + "2011/11/16/faut-il-archiver-les-commentaires/"
    plain = httpx.get(url, trust_env=False)
    reply = httpx.get(url + "?replytocom=29", trust_env=False)
    assert reply.status_code == 200
    assert reply.content == plain.content


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/../../etc/passwd",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fpyproject.toml",
        "/about/..%2f..%2fpyproject.toml",
        "/..%5cpyproject.toml",
        "/about/%00",
        "/%ff%fe",
    ],
)
def test_refuses_path_traversal(server: SiteServer, path: str) -> None:
    status, _, body = raw_get(server, path)
    assert status in {400, 404}
    assert b"[build-system]" not in body
    assert b"root:" not in body


def test_symlink_out_of_the_root_is_not_served(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (root / "leak.txt").symlink_to(secret)
    (root / "ok.txt").write_text("fine")
    with SiteServer(root) as running:
        assert httpx.get(running.base_url + "ok.txt", trust_env=False).text == "fine"
        assert httpx.get(running.base_url + "leak.txt", trust_env=False).status_code == 404


def test_conditional_requests_get_304(server: SiteServer) -> None:
    url = server.base_url + "2006/06/08/les-pages-perso-vont-elles-disparaitre/"
    with httpx.Client(trust_env=False) as client:
        first = client.get(url)
        etag = first.headers["etag"]
        by_etag = client.get(url, headers={"If-None-Match": etag})
        other_etag = client.get(url, headers={"If-None-Match": '"nope"'})
        since = client.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
        stale = client.get(url, headers={"If-Modified-Since": formatdate(0, usegmt=True)})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert other_etag.status_code == 200
    assert since.status_code == 304
    assert stale.status_code == 200
    assert parsedate_to_datetime(first.headers["last-modified"]).year >= 2020


def test_content_type_hook_serves_extensionless_files(tmp_path: Path) -> None:
    feed = tmp_path / "feeds" / "123" / "comments" / "default"
    feed.parent.mkdir(parents=True)
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>http://origin.test/x</id></feed>'
    )
    (tmp_path / "blob").write_bytes(b"\x00\x01")

    def types(path: str) -> str | None:
        return "application/atom+xml; charset=UTF-8" if path.endswith("/default") else None

    with SiteServer(tmp_path, content_type=types, rewrite_origin="http://origin.test") as running:
        atom = httpx.get(running.base_url + "feeds/123/comments/default", trust_env=False)
        blob = httpx.get(running.base_url + "blob", trust_env=False)
    assert atom.headers["content-type"] == "application/atom+xml; charset=UTF-8"
    assert f"<id>{running.base_url}x</id>" in atom.text
    assert blob.headers["content-type"] == "application/octet-stream"
    assert blob.content == b"\x00\x01"


def test_request_log_is_complete_under_concurrency(server: SiteServer) -> None:
    paths = ["", "about/", "feed/", "robots.txt", "nope/"] * 8

    client = httpx.Client(headers={"User-Agent": "log-test/1"}, trust_env=False)

    def fetch(path: str) -> None:
        client.get(server.base_url + path)

    threads = [threading.Thread(target=fetch, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    log = server.requests
    assert len(log) == len(paths)
    assert sorted(record.path for record in log) == sorted("/" + path for path in paths)
    assert all(record.headers["User-Agent"] == "log-test/1" for record in log)
    assert sum(record.status == 404 for record in log) == 8
    assert all(record.method == "GET" for record in log)
    times = [record.time for record in log]
    assert times == sorted(times)
    server.clear_requests()
    assert server.requests == []


def test_server_is_quiet(server: SiteServer, capsys: pytest.CaptureFixture[str]) -> None:
    httpx.get(server.base_url + "nope", trust_env=False)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == ""


def test_load_truth_moves_every_url(server: SiteServer) -> None:
    moved = load_truth(server.base_url)
    text = repr(moved)
    assert "sample-blog.example" not in text
    assert moved["site"]["root_url"] == server.base_url
    with httpx.Client(trust_env=False) as client:
        for post in moved["posts"]:
            assert client.get(post["url"]).status_code == 200


# --- the build --------------------------------------------------------------------------


def test_build_is_reproducible(tmp_path: Path) -> None:
    build(tmp_path / "site", tmp_path / "truth.json")
    built = {
        p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file()
    }
    shipped = {p.relative_to(SITE_DIR) for p in SITE_DIR.rglob("*") if p.is_file()}
    assert built == shipped
    for relative in sorted(built):
        assert (tmp_path / "site" / relative).read_bytes() == (SITE_DIR / relative).read_bytes(), (
            relative
        )
    assert (tmp_path / "truth.json").read_bytes() == TRUTH_PATH.read_bytes()


def test_site_is_small() -> None:
    total = sum(p.stat().st_size for p in SITE_DIR.rglob("*") if p.is_file())
    assert total < 800_000


# --- the truth against the pages --------------------------------------------------------


def post_pages(post_url: str) -> list[LexborHTMLParser]:
    """A post's page and every comment page reached through the comment navigation."""
    pages = [page(post_url)]
    seen = {post_url}
    while True:
        nxt = pages[-1].css_first("nav.comment-navigation .nav-next a")
        if nxt is None:
            return pages
        url = nxt.attributes["href"] or ""
        url = url.split("#")[0]
        assert url not in seen
        seen.add(url)
        pages.append(page(url))


def comment_title(content: LexborNode) -> str | None:
    """The bold first line, when the comment opens with one."""
    first = content.css_first("p")
    if first is None:
        return None
    for node in first.iter(include_text=True):
        if node.tag == "-text" and not (node.text() or "").strip():
            continue
        return norm(node.text()) if node.tag == "strong" else None
    return None


def comments_on(post_url: str) -> list[dict[str, Any]]:
    """Every comment of a post read from its pages, in the truth's format."""
    records = []
    for tree in post_pages(post_url):
        for li in tree.css("ol.commentlist li"):
            classes = (li.attributes.get("class") or "").split()
            kind = next(k for k in ("comment", "pingback", "trackback") if k in classes)
            platform_id = (li.attributes["id"] or "").removeprefix("li-comment-")
            depth = 0
            parent = li.parent
            parent_id = None
            while parent is not None and parent.tag != "ol":
                if parent.tag == "li":
                    depth += 1
                    if parent_id is None:
                        parent_id = (parent.attributes["id"] or "").removeprefix("li-comment-")
                parent = parent.parent
            if kind == "comment":
                assert f"depth-{depth + 1}" in classes
                article = li.css_first("article.comment")
                assert article.attributes["id"] == f"comment-{platform_id}"
                fn = article.css_first(".comment-author .fn")
                link = fn.css_first("a.url")
                name = norm(fn.text())
                content = article.css_first(".comment-content")
                title = comment_title(content)
                text = norm(content.text())
                if title:
                    assert text.startswith(title)
                    text = text[len(title) :].strip()
                links = content.css("a[href]")
                time = article.css_first(".comment-meta a > time")
                published = time.attributes["datetime"]
                assert li.css_first(".avatar") is not None
            else:
                assert li.css_first("img") is None
                paragraph = li.css_first("p")
                link = paragraph.css_first("a")
                name = norm(link.text())
                title = None
                text = norm(paragraph.text())
                links = [link]
                published = None
            records.append(
                {
                    "post_url": post_url,
                    "platform_id": platform_id,
                    "parent_platform_id": parent_id,
                    "depth": depth,
                    "author": None if name == "Anonymous" else name,
                    "author_url": link.attributes["href"] if link is not None else None,
                    "published_at": published,
                    "title": title,
                    "text": text,
                    "kind": kind,
                    "links": [
                        {"url": a.attributes["href"], "anchor": norm(a.text())} for a in links
                    ],
                }
            )
    return records


def feed_items(url: str) -> list[ET.Element]:
    root = ET.fromstring(file_for(url).read_bytes())
    return root.findall("./channel/item")


def test_posts_match_their_pages(truth: dict[str, Any]) -> None:
    for post in truth["posts"]:
        tree = page(post["url"])
        html_lang = tree.css_first("html").attributes["lang"] or ""
        assert html_lang.split("-")[0] == post["language"]
        assert tree.css_first("link[rel=canonical]").attributes["href"] == post["url"]
        body_class = tree.body.attributes["class"] or ""
        article = tree.css_first("article.post")
        post_id = (article.attributes["id"] or "").removeprefix("post-")
        assert {"single", "single-post", f"postid-{post_id}"} <= set(body_class.split())
        assert norm(article.css_first("h1.entry-title").text()) == post["title"]
        when = article.css_first(".entry-meta time.entry-date").attributes["datetime"]
        assert when == post["published_at"]
        byline = article.css_first(".entry-meta span.author.vcard a.url.fn.n")
        assert norm(byline.text()) == post["author"]
        cats = [norm(a.text()) for a in article.css('a[rel="category tag"]')]
        tags = [norm(a.text()) for a in article.css('a[rel="tag"]')]
        assert cats == post["categories"]
        assert tags == post["tags"]
        content = article.css_first(".entry-content")
        body = norm(content.text())
        for snippet in post["body_snippets"]:
            assert snippet in body
        links = [
            {"url": a.attributes["href"], "anchor": norm(a.text())} for a in content.css("a[href]")
        ]
        assert links == post["links"]
        closed = tree.css_first("#comments p.nocomments")
        form = tree.css_first("#respond form#commentform")
        assert (closed is None) == post["comments_open"]
        assert (form is not None) == post["comments_open"]
        if closed is not None:
            assert norm(closed.text()) == "Comments are closed."
        modified = tree.css_first('meta[property="article:modified_time"]')
        assert (modified.attributes["content"] if modified else None) == post["updated_at"]
        heading = tree.css_first("h2#comments-title")
        if post["comment_count"]:
            match = re.match(r"(\d+|Une|One) ", norm(heading.text()))
            assert match is not None
            shown = 1 if match.group(1) in {"Une", "One"} else int(match.group(1))
            assert shown == post["comment_count"]
        else:
            assert heading is None


def test_comments_match_their_pages(truth: dict[str, Any]) -> None:
    from_pages = [c for post in truth["posts"] for c in comments_on(post["url"])]
    assert len(from_pages) == len(truth["comments"])
    by_id = {c["platform_id"]: c for c in truth["comments"]}
    for found in from_pages:
        expected = dict(by_id[found["platform_id"]])
        if found["kind"] != "comment":
            # The theme prints no date for pingbacks and trackbacks; the feed has it.
            assert found["published_at"] is None
            found["published_at"] = expected["published_at"]
        assert found == expected
    for post in truth["posts"]:
        mine = [c for c in from_pages if c["post_url"] == post["url"]]
        assert len(mine) == post["comment_count"]


def test_comment_feeds_match_truth(truth: dict[str, Any]) -> None:
    for post in truth["posts"]:
        items = feed_items(post["url"] + "feed/")
        comments = [c for c in truth["comments"] if c["post_url"] == post["url"]]
        assert len(items) == min(10, len(comments))
        # An undated pingback (null in the truth) is older than everything the feed lists.
        expected = sorted(
            comments, key=lambda c: (c["published_at"] is not None, c["published_at"] or "")
        )[::-1]
        for item, comment in zip(items, expected, strict=False):
            link = item.findtext("link") or ""
            assert link.startswith(post["url"])
            assert link.endswith(f"#comment-{comment['platform_id']}")
            assert item.findtext("dc:creator", namespaces=NS) == (comment["author"] or "Anonymous")
            published = parsedate_to_datetime(item.findtext("pubDate") or "")
            assert published == datetime.fromisoformat(comment["published_at"])


def test_posts_feed_lists_ten_newest(truth: dict[str, Any]) -> None:
    items = feed_items(ROOT + "feed/")
    newest = sorted(truth["posts"], key=lambda p: p["published_at"], reverse=True)[:10]
    assert [item.findtext("link") for item in items] == [p["url"] for p in newest]
    for item, post in zip(items, newest, strict=True):
        assert item.findtext("slash:comments", namespaces=NS) == str(post["comment_count"])
        assert item.findtext("wfw:commentRss", namespaces=NS) == post["url"] + "feed/"
        assert item.findtext("dc:creator", namespaces=NS) == post["author"]


def test_sitemap_and_robots(truth: dict[str, Any]) -> None:
    root = ET.fromstring((SITE_DIR / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert locs == {p["url"] for p in truth["posts"]} | {p["url"] for p in truth["pages"]}
    robots = (SITE_DIR / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in robots
    assert "Disallow: /wp-admin/" in robots
    assert f"Sitemap: {ROOT}sitemap.xml" in robots


def test_pages_are_not_posts(truth: dict[str, Any]) -> None:
    for static in truth["pages"]:
        tree = page(static["url"])
        assert "page" in (tree.body.attributes["class"] or "").split()
        assert tree.css_first("article.post") is None
        assert norm(tree.css_first("h1.entry-title").text()) == static["title"]
        assert static["url"] not in {p["url"] for p in truth["posts"]}


def test_home_paginates_through_every_post(truth: dict[str, Any]) -> None:
    url: str | None = ROOT
    seen: list[str] = []
    pages = 0
    while url:
        tree = page(url)
        pages += 1
        seen += [a.attributes["href"] or "" for a in tree.css("article h1.entry-title a")]
        older = tree.css_first("#nav-below .nav-previous a")
        rel_next = tree.css_first("link[rel=next]")
        assert (older is None) == (rel_next is None)
        url = older.attributes["href"] if older is not None else None
        if older is not None and rel_next is not None:
            assert rel_next.attributes["href"] == url
    assert pages == 3
    newest_first = sorted(truth["posts"], key=lambda p: p["published_at"], reverse=True)
    assert seen == [p["url"] for p in newest_first]


def test_archives_list_their_posts(truth: dict[str, Any]) -> None:
    def listed(base: str) -> set[str]:
        urls: set[str] = set()
        url: str | None = base
        while url:
            tree = page(url)
            urls |= {a.attributes["href"] or "" for a in tree.css("article h1.entry-title a")}
            older = tree.css_first("#nav-below .nav-previous a")
            url = older.attributes["href"] if older is not None else None
        return urls

    for post in truth["posts"]:
        month = ROOT + post["published_at"][:7].replace("-", "/") + "/"
        assert post["url"] in listed(month)
    tree = page(truth["posts"][0]["url"])
    for a in tree.css('a[rel="category tag"], a[rel="tag"], span.author.vcard a'):
        name = norm(a.text())
        members = {
            p["url"]
            for p in truth["posts"]
            if name in p["categories"] or name in p["tags"] or name == p["author"]
        }
        assert listed(a.attributes["href"] or "") == members


def test_counts_match_the_files(truth: dict[str, Any]) -> None:
    counts = truth["counts"]
    kinds = {"comment": 0, "pingback": 0, "trackback": 0}
    body_links = comment_links = author_links = 0
    people: set[tuple[str, str | None]] = set()
    for post in truth["posts"]:
        tree = page(post["url"])
        body_links += len(tree.css(".entry-content a[href]"))
        byline = tree.css_first("span.author.vcard a.url.fn.n")
        people.add((norm(byline.text()), byline.attributes["href"]))
        for comments_page in post_pages(post["url"]):
            for li in comments_page.css("ol.commentlist li.comment"):
                kinds["comment"] += 1
                fn = li.css_first(".fn")
                url = fn.css_first("a")
                comment_links += len(li.css_first(".comment-content").css("a[href]"))
                author_links += url is not None
                if norm(fn.text()) != "Anonymous":
                    people.add((norm(fn.text()), url.attributes["href"] if url else None))
            for kind in ("pingback", "trackback"):
                for li in comments_page.css(f"ol.commentlist li.{kind}"):
                    kinds[kind] += 1
                    link = li.css_first("p a")
                    comment_links += 1
                    author_links += 1
                    people.add((norm(link.text()), link.attributes["href"]))
    assert counts["posts"] == len(truth["posts"]) == 15
    assert counts["comments"] == sum(kinds.values()) == len(truth["comments"])
    assert counts["comments_by_kind"] == kinds
    assert counts["body_links"] == body_links
    assert counts["comment_links"] == comment_links
    assert counts["comment_author_links"] == author_links
    assert counts["links"] == body_links + comment_links + author_links
    assert counts["authors"] == len(people)


def test_the_motivating_cases_are_there(truth: dict[str, Any]) -> None:
    comments = truth["comments"]
    by_post: dict[str, list[dict[str, Any]]] = {}
    for comment in comments:
        by_post.setdefault(comment["post_url"], []).append(comment)
    old = [p for p in truth["posts"] if p["comment_count"] == 7 and p["published_at"] < "2007"]
    assert len(old) == 1
    seven = by_post[old[0]["url"]]
    assert not old[0]["comments_open"]
    assert sum(c["title"] is not None for c in seven) >= 3
    assert sum(c["author"] is None for c in seven) == 1
    assert [c["kind"] for c in seven].count("pingback") == 1
    pairs = [(c["author"], c["author_url"]) for c in seven if c["author"]]
    assert len(pairs) - len(set(pairs)) == 1
    assert any("geocities.com" in (c["author_url"] or "") for c in seven)
    threaded = [
        p
        for p in truth["posts"]
        if max((c["depth"] for c in by_post.get(p["url"], [])), default=0) == 2
    ]
    assert len(threaded) == 1
    pages = post_pages(threaded[0]["url"])
    assert len(pages) == 2
    second = pages[1].css_first("link[rel=canonical]").attributes["href"]
    assert second == threaded[0]["url"] + "comment-page-2/"
    back = pages[1].css_first("nav.comment-navigation .nav-previous a").attributes["href"]
    assert (back or "").split("#")[0] == threaded[0]["url"]
    for tree in pages:
        assert tree.css_first("li.depth-3") is not None
    french_dates = [
        norm(t.text()) for t in page(old[0]["url"]).css("ol.commentlist .comment-meta time")
    ]
    assert french_dates[0] == "8 juin 2006 à 11 h 02 min"
    assert any(c["kind"] == "trackback" for c in comments)
    assert sum(p["comments_open"] for p in truth["posts"]) >= 2
    years = {p["published_at"][:4] for p in truth["posts"]}
    assert len(years) >= 5
    assert {p["language"] for p in truth["posts"]} == {"fr", "en"}
    repeat = {}
    for comment in comments:
        if comment["author"] and comment["kind"] == "comment":
            repeat.setdefault((comment["author"], comment["author_url"]), set()).add(
                comment["post_url"]
            )
    assert sum(len(posts) > 1 for posts in repeat.values()) >= 3


def test_dates_carry_the_paris_offset_of_their_day(truth: dict[str, Any]) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        paris = zoneinfo.ZoneInfo("Europe/Paris")
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no time zone database on this machine")
    stamps = [p["published_at"] for p in truth["posts"]]
    stamps += [c["published_at"] for c in truth["comments"] if c["published_at"]]
    for stamp in stamps:
        when = datetime.fromisoformat(stamp)
        local = when.replace(tzinfo=None).replace(tzinfo=paris)
        assert when.utcoffset() == local.utcoffset(), stamp
