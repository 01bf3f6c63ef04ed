"""blogcorpus's evaluation: the parsers scored on real pages, side by side with trafilatura.

``python -m eval.run`` reads the data sets in ``../shared/data``, scores blogcorpus's parsers
and trafilatura alone on the same pages in the same run, prints the table and writes it to
``eval/results.md``; ``--check`` fails below the floors pinned in ``eval/floors.json``.
"""
