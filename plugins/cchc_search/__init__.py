"""cchc_search: Vietnamese client-side search (lunr index built in Python, sharded when large)."""

from .cchc_search import (
    DEFAULTS,
    SearchDoc,
    build_lunr,
    cchc_fold,
    doc_from_article,
    docnum_token,
    normalise_term,
    register,
    settings_for,
    write_index,
)

__all__ = [
    "DEFAULTS",
    "SearchDoc",
    "build_lunr",
    "cchc_fold",
    "doc_from_article",
    "docnum_token",
    "normalise_term",
    "register",
    "settings_for",
    "write_index",
]
