"""Bytes → clean text: decoding, HTML, boilerplate, mojibake, pinyin glosses, metadata, offsets, simplify, segment.

Plain functions on plain data (the dataclasses in `articles.py`). Imports nothing else from `pipelines`.
"""
