"""Analysts' views over the corpus tables: posts with counts, comment threads, commenters, the
link graph and a crawl report.

The views are created by the migration ``0002_views`` from ``VIEWS_0002``; ``0003`` replaces
``link_graph`` (``VIEWS_0003``). A migration that has
shipped never changes, so this text is frozen too: to change a view, add a new constant with
``CREATE OR REPLACE VIEW`` statements and a new migration that runs it.
"""

from __future__ import annotations

__all__ = ["VIEWS_0002", "VIEWS_0002_SQL", "VIEWS_0003", "VIEWS_0003_SQL", "VIEW_NAMES"]

# The host of a URL in SQL, as ``parsers.urls.host_of`` computes it in Python: lower-cased,
# without user information or port.
_HOST_OF_AUTHOR_URL = (
    "lower(regexp_extract(c.author_url, "
    "'^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?(\\[[^\\]/]*\\]|[^:/?#]*)', 1))"
)

VIEWS_0002: dict[str, str] = {
    # Each post (and page) with what happened under it.
    "post_overview": """
CREATE OR REPLACE VIEW post_overview AS
WITH c AS (
    SELECT post_id,
           count(*) FILTER (WHERE kind = 'comment') AS comments,
           count(*) FILTER (WHERE kind = 'pingback') AS pingbacks,
           count(*) FILTER (WHERE kind = 'trackback') AS trackbacks,
           count(*) FILTER (WHERE NOT coalesce(approved, TRUE)) AS unapproved,
           count(DISTINCT author_id) FILTER (WHERE kind = 'comment') AS commenters,
           count(*) FILTER (WHERE parent_id IS NOT NULL) AS replies,
           max(depth) AS max_depth,
           min(published_at) AS first_comment_at,
           max(published_at) AS last_comment_at
    FROM comments GROUP BY post_id
), l AS (
    SELECT post_id,
           count(*) FILTER (WHERE comment_id IS NULL) AS body_links,
           count(*) FILTER (WHERE comment_id IS NULL AND NOT coalesce(is_internal, FALSE))
               AS body_links_external,
           count(*) FILTER (WHERE comment_id IS NOT NULL) AS comment_links
    FROM links GROUP BY post_id
)
SELECT p.post_id, p.site_id, s.host, p.url, p.title, p.author_name, p.published_at,
       p.language, p.status, p.is_page, p.word_count, p.categories, p.tags,
       coalesce(c.comments, 0) AS comments,
       coalesce(c.pingbacks, 0) AS pingbacks,
       coalesce(c.trackbacks, 0) AS trackbacks,
       coalesce(c.unapproved, 0) AS unapproved,
       coalesce(c.commenters, 0) AS commenters,
       coalesce(c.replies, 0) AS replies,
       coalesce(c.max_depth, 0) AS max_depth,
       c.first_comment_at, c.last_comment_at,
       p.comment_count_declared,
       coalesce(l.body_links, 0) AS body_links,
       coalesce(l.body_links_external, 0) AS body_links_external,
       coalesce(l.comment_links, 0) AS comment_links
FROM posts p
LEFT JOIN sites s USING (site_id)
LEFT JOIN c USING (post_id)
LEFT JOIN l USING (post_id)
""",
    # Each comment with its depth and the path of ids from its thread's root down to it. The
    # depth is recomputed from the reply chain; a reply whose parent is missing is a root.
    "comment_threads": """
CREATE OR REPLACE VIEW comment_threads AS
WITH RECURSIVE walk(comment_id, root_id, path, depth) AS (
    SELECT c.comment_id, c.comment_id, [c.comment_id], 0
    FROM comments c
    WHERE c.parent_id IS NULL
       OR c.parent_id NOT IN (SELECT comment_id FROM comments)
       OR c.parent_id = c.comment_id
    UNION ALL
    SELECT c.comment_id, w.root_id, list_append(w.path, c.comment_id), w.depth + 1
    FROM walk w JOIN comments c ON c.parent_id = w.comment_id
    WHERE NOT list_contains(w.path, c.comment_id) AND w.depth < 1000
), r AS (
    SELECT parent_id AS comment_id, count(*) AS direct_replies
    FROM comments WHERE parent_id IS NOT NULL GROUP BY parent_id
)
SELECT c.comment_id, c.post_id, c.site_id, c.parent_id, w.root_id, w.depth, w.path,
       c.position, c.kind, c.author_id, c.author_name, c.author_url, c.published_at,
       c.approved, coalesce(r.direct_replies, 0) AS direct_replies, c.text
FROM walk w
JOIN comments c USING (comment_id)
LEFT JOIN r USING (comment_id)
""",
    # Each person who commented, across posts and blogs: one row per name (case-insensitive)
    # and URL, since the same person is a separate author row on every blog.
    "commenters": """
CREATE OR REPLACE VIEW commenters AS
WITH people AS (
    SELECT lower(a.name) AS name_key,
           any_value(a.name ORDER BY a.name) AS name,
           a.url,
           list(DISTINCT a.author_id ORDER BY a.author_id) AS author_ids,
           count(DISTINCT c.site_id) AS blogs,
           list(DISTINCT s.host ORDER BY s.host) AS blog_hosts,
           count(DISTINCT c.post_id) AS posts,
           count(*) FILTER (WHERE c.kind = 'comment') AS comments,
           count(*) FILTER (WHERE c.kind = 'pingback') AS pingbacks,
           count(*) FILTER (WHERE c.kind = 'trackback') AS trackbacks,
           count(*) FILTER (WHERE c.parent_id IS NOT NULL) AS replies_written,
           min(c.published_at) AS first_at,
           max(c.published_at) AS last_at,
           bool_or(a.role = 'post_author') AS also_post_author
    FROM comments c
    JOIN authors a ON a.author_id = c.author_id
    LEFT JOIN sites s ON s.site_id = c.site_id
    GROUP BY lower(a.name), a.url
), received AS (
    SELECT lower(pa.name) AS name_key, pa.url, count(*) AS replies_received
    FROM comments reply
    JOIN comments parent ON reply.parent_id = parent.comment_id
    JOIN authors pa ON pa.author_id = parent.author_id
    GROUP BY ALL
)
SELECT p.name, p.url, p.author_ids, p.blogs, p.blog_hosts, p.posts, p.comments, p.pingbacks,
       p.trackbacks, p.replies_written, coalesce(r.replies_received, 0) AS replies_received,
       p.first_at, p.last_at, p.also_post_author
FROM people p
LEFT JOIN received r ON r.name_key = p.name_key AND r.url IS NOT DISTINCT FROM p.url
""",
    # Who cites whom: edges from a blog to a host (or to another blog of the corpus) out of
    # post bodies, comment bodies and commenters' URLs, and edges into a blog from the posts
    # that sent it pingbacks or trackbacks. Links inside a blog are left out.
    "link_graph": f"""
CREATE OR REPLACE VIEW link_graph AS
WITH by_host AS (
    SELECT host, min(site_id) AS site_id FROM sites GROUP BY host
), edges AS (
    SELECT l.site_id AS source_site_id, src.host AS source_host,
           NULL AS target_site_id, l.target_host, l.context AS via, l.post_id,
           coalesce(c.published_at, p.published_at) AS published_at, l.target_url AS url
    FROM links l
    JOIN sites src ON src.site_id = l.site_id
    LEFT JOIN comments c ON c.comment_id = l.comment_id
    LEFT JOIN posts p ON p.post_id = l.post_id
    WHERE NOT coalesce(l.is_internal, FALSE)
      AND coalesce(l.target_host, '') <> ''
      AND NOT (l.context = 'comment_author' AND c.kind IN ('pingback', 'trackback'))
    UNION ALL
    SELECT NULL, {_HOST_OF_AUTHOR_URL}, dst.site_id, dst.host, c.kind, c.post_id,
           c.published_at, c.author_url
    FROM comments c JOIN sites dst ON dst.site_id = c.site_id
    WHERE c.kind IN ('pingback', 'trackback') AND coalesce(c.author_url, '') <> ''
), resolved AS (
    SELECT coalesce(e.source_site_id, sh.site_id) AS source_site_id, e.source_host,
           coalesce(e.target_site_id, th.site_id) AS target_site_id,
           e.target_host, e.via, e.post_id, e.published_at, e.url
    FROM edges e
    LEFT JOIN by_host sh ON sh.host = e.source_host
    LEFT JOIN by_host th ON th.host = e.target_host
)
SELECT source_site_id, source_host, target_site_id, target_host,
       CASE WHEN source_site_id IS NOT NULL AND target_site_id IS NOT NULL THEN 'site-site'
            WHEN source_site_id IS NOT NULL THEN 'site-host'
            ELSE 'host-site' END AS edge,
       via,
       count(*) AS links,
       count(DISTINCT post_id) AS posts,
       min(published_at) AS first_at,
       max(published_at) AS last_at,
       min(url) AS example_url
FROM resolved
GROUP BY ALL
""",
    # One row per crawl: requests, outcomes, bytes, speed, and the errors by reason.
    "crawl_report": """
CREATE OR REPLACE VIEW crawl_report AS
WITH f AS (
    SELECT crawl_id,
           count(*) AS requests,
           count(*) FILTER (WHERE status BETWEEN 200 AND 299) AS ok,
           count(*) FILTER (WHERE status = 304) AS not_modified,
           count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS client_errors,
           count(*) FILTER (WHERE status >= 500) AS server_errors,
           count(*) FILTER (WHERE status IS NULL) AS network_errors,
           count(*) FILTER (WHERE changed) AS changed,
           sum(bytes) AS bytes
    FROM fetch_log GROUP BY crawl_id
), reasons AS (
    SELECT crawl_id, coalesce(error, 'HTTP ' || status) AS reason, count(*) AS n
    FROM fetch_log
    WHERE error IS NOT NULL OR status >= 400 OR status IS NULL
    GROUP BY ALL
), e AS (
    SELECT crawl_id, string_agg(reason || ' ×' || n, ', ' ORDER BY n DESC, reason) AS errors
    FROM reasons GROUP BY crawl_id
)
SELECT cr.crawl_id, cr.started_at, cr.finished_at,
       round(epoch(cr.finished_at) - epoch(cr.started_at), 2) AS seconds,
       cr.seeds,
       coalesce(f.requests, 0) AS requests,
       coalesce(f.ok, 0) AS ok,
       coalesce(f.not_modified, 0) AS not_modified,
       coalesce(f.client_errors, 0) AS client_errors,
       coalesce(f.server_errors, 0) AS server_errors,
       coalesce(f.network_errors, 0) AS network_errors,
       coalesce(f.changed, 0) AS changed,
       coalesce(f.bytes, 0) AS bytes,
       e.errors,
       TRY_CAST(cr.stats ->> '$.stopped_early' AS BOOLEAN) AS stopped_early,
       TRY_CAST(cr.stats -> '$.sites[*].coverage' AS DOUBLE[]) AS coverage
FROM crawls cr
LEFT JOIN f USING (crawl_id)
LEFT JOIN e USING (crawl_id)
ORDER BY cr.started_at
""",
}

VIEW_NAMES: tuple[str, ...] = tuple(VIEWS_0002)
VIEWS_0002_SQL = ";\n".join(sql.strip() for sql in VIEWS_0002.values()) + ";\n"

# 0003: a blog's pingbacks to itself (WordPress pings its own posts when one links another)
# are links inside the blog, which the graph leaves out: they showed as a site-site edge from
# the blog to itself. The rest of the view is as in 0002.
VIEWS_0003: dict[str, str] = {
    "link_graph": f"""
CREATE OR REPLACE VIEW link_graph AS
WITH by_host AS (
    SELECT host, min(site_id) AS site_id FROM sites GROUP BY host
), edges AS (
    SELECT l.site_id AS source_site_id, src.host AS source_host,
           NULL AS target_site_id, l.target_host, l.context AS via, l.post_id,
           coalesce(c.published_at, p.published_at) AS published_at, l.target_url AS url
    FROM links l
    JOIN sites src ON src.site_id = l.site_id
    LEFT JOIN comments c ON c.comment_id = l.comment_id
    LEFT JOIN posts p ON p.post_id = l.post_id
    WHERE NOT coalesce(l.is_internal, FALSE)
      AND coalesce(l.target_host, '') <> ''
      AND NOT (l.context = 'comment_author' AND c.kind IN ('pingback', 'trackback'))
    UNION ALL
    SELECT NULL, {_HOST_OF_AUTHOR_URL}, dst.site_id, dst.host, c.kind, c.post_id,
           c.published_at, c.author_url
    FROM comments c JOIN sites dst ON dst.site_id = c.site_id
    WHERE c.kind IN ('pingback', 'trackback') AND coalesce(c.author_url, '') <> ''
      AND {_HOST_OF_AUTHOR_URL} <> dst.host
), resolved AS (
    SELECT coalesce(e.source_site_id, sh.site_id) AS source_site_id, e.source_host,
           coalesce(e.target_site_id, th.site_id) AS target_site_id,
           e.target_host, e.via, e.post_id, e.published_at, e.url
    FROM edges e
    LEFT JOIN by_host sh ON sh.host = e.source_host
    LEFT JOIN by_host th ON th.host = e.target_host
)
SELECT source_site_id, source_host, target_site_id, target_host,
       CASE WHEN source_site_id IS NOT NULL AND target_site_id IS NOT NULL THEN 'site-site'
            WHEN source_site_id IS NOT NULL THEN 'site-host'
            ELSE 'host-site' END AS edge,
       via,
       count(*) AS links,
       count(DISTINCT post_id) AS posts,
       min(published_at) AS first_at,
       max(published_at) AS last_at,
       min(url) AS example_url
FROM resolved
GROUP BY ALL
""",
}
VIEWS_0003_SQL = ";\n".join(sql.strip() for sql in VIEWS_0003.values()) + ";\n"
