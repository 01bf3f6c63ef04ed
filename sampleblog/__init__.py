"""The bundled sample blog: a WordPress-style mirror, its truth, and a server for both.

``python -m sampleblog.build`` regenerates ``site/`` and ``truth.json`` from the content in
``sampleblog/content.py``; ``serve_sample_blog()`` serves the mirror on 127.0.0.1 and
``load_truth(base_url)`` returns the records a perfect crawl of it must produce.
"""

from sampleblog.paths import PLACEHOLDER_ORIGIN, SITE_DIR, TRUTH_PATH
from sampleblog.server import (
    RequestRecord,
    SiteServer,
    load_truth,
    sample_content_type,
    serve_sample_blog,
)

__all__ = [
    "PLACEHOLDER_ORIGIN",
    "SITE_DIR",
    "TRUTH_PATH",
    "RequestRecord",
    "SiteServer",
    "load_truth",
    "sample_content_type",
    "serve_sample_blog",
]
