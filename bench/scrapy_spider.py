"""A Scrapy CrawlSpider limited to one host: the crawler a user would reach for instead.

Run by the Scrapy virtualenv's Python, not the project's:
``bench/.venv-scrapy/bin/python bench/scrapy_spider.py URL CONCURRENCY [MAX_PAGES [OUT]]``.
It follows every link on the seed's host, obeys robots.txt and waits no delay. Without
``OUT`` it keeps nothing: the site server's request log is what the benchmark reads. With
``OUT`` (a ``.jsonl`` path) it is the corpus a user would build by hand: every HTML page it
fetches goes through ``trafilatura.extract(include_comments=True, with_metadata=True,
output_format="json")`` (the parse benchmark's alternative) and each result is written to
``OUT`` by Scrapy's feed exporter. A generic spider cannot tell posts from listings, so it
extracts them all.
"""

from __future__ import annotations

import sys
from typing import ClassVar
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess  # type: ignore[import-not-found]
from scrapy.linkextractors import LinkExtractor  # type: ignore[import-not-found]
from scrapy.spiders import CrawlSpider, Rule  # type: ignore[import-not-found]


def main() -> None:
    seed, concurrency = sys.argv[1], int(sys.argv[2])
    # Stop after this many responses, like blogcorpus's --max-pages (0: no limit).
    max_pages = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    out = sys.argv[4] if len(sys.argv) > 4 else None
    host = urlsplit(seed).hostname or ""

    class HostSpider(CrawlSpider):  # type: ignore[misc]
        name = "host"
        allowed_domains: ClassVar[list[str]] = [host]
        start_urls: ClassVar[list[str]] = [seed]
        # The spider's allowed_domains keeps the crawl on the host (its offsite filter ignores the
        # port; the link extractor's allow_domains would not, and so would drop every link).
        rules = (Rule(LinkExtractor(), callback="extract" if out else None, follow=True),)

        def parse_start_url(self, response):  # type: ignore[no-untyped-def]
            return self.extract(response) if out else []

        def extract(self, response):  # type: ignore[no-untyped-def]
            import trafilatura  # type: ignore[import-not-found]

            content_type = response.headers.get("Content-Type", b"").decode("latin-1")
            if "html" not in content_type.lower():
                return
            document = trafilatura.extract(
                response.text,
                url=response.url,
                include_comments=True,
                with_metadata=True,
                output_format="json",
            )
            if document:
                yield {"url": response.url, "document": document}

    process = CrawlerProcess(
        settings={
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "CONCURRENT_REQUESTS_PER_IP": 0,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": __import__("os").environ.get("SCRAPY_LOG", "WARNING"),
            "COOKIES_ENABLED": False,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
            "CLOSESPIDER_PAGECOUNT": max_pages,
            **({"FEEDS": {out: {"format": "jsonlines", "encoding": "utf8"}}} if out else {}),
        }
    )
    process.crawl(HostSpider)
    process.start()


if __name__ == "__main__":
    main()
