"""Where the sample blog lives: its placeholder origin and its packaged files."""

from __future__ import annotations

from pathlib import Path

# Every absolute URL in the mirror and the truth uses this origin; the server rewrites it to
# its own address, and ``load_truth`` does the same, so both always name the same URLs.
PLACEHOLDER_ORIGIN = "http://sample-blog.example"
PACKAGE_DIR = Path(__file__).resolve().parent
SITE_DIR = PACKAGE_DIR / "site"
TRUTH_PATH = PACKAGE_DIR / "truth.json"
