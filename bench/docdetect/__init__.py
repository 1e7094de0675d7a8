"""Document corner detection benchmark: ``python -m bench.docdetect`` (see __main__.py)."""
