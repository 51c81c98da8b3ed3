"""cchc_search: Vietnamese client-side search (BM25 weights from lunr.py at build time, one file or
term-range shards, ranked in the browser by theme/static/js/search-engine.js)."""

from .cchc_search import (
    DEFAULTS,
    SearchDoc,
    build_index,
    build_lunr,
    cchc_fold,
    doc_from_article,
    document_records,
    normalise_term,
    number_tokens,
    register,
    settings_for,
    write_index,
)

__all__ = [
    "DEFAULTS",
    "SearchDoc",
    "build_index",
    "build_lunr",
    "cchc_fold",
    "doc_from_article",
    "document_records",
    "normalise_term",
    "number_tokens",
    "register",
    "settings_for",
    "write_index",
]
