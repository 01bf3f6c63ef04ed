"""Export formats beyond the post documents of ``corpus.export``: table files and WARC.

``tables`` writes one Parquet or CSV file per table into a dataset folder, ``split`` one JSON
file per post, ``warc`` the raw fetched pages as WARC records. All of them order rows
deterministically and write every file through a temporary name renamed into place.
"""

from corpus.exports.selection import ExportFilter
from corpus.exports.split import safe_post_path, write_split
from corpus.exports.tables import EXPORT_TABLES, write_tables
from corpus.exports.warc import write_warc

__all__ = [
    "EXPORT_TABLES",
    "ExportFilter",
    "safe_post_path",
    "write_split",
    "write_tables",
    "write_warc",
]
