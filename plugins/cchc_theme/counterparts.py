"""Pages in the other language: ``counterpart: <slug>`` is written once, on either page,
and links both pages to each other."""

import logging

log = logging.getLogger(__name__)

def counterpart_index(pages, default_lang="vi"):
    """{id(page): the page in the other language} for every declared pair of *pages*."""
    by_key = {((p.lang or default_lang), p.slug): p for p in pages}
    pairs = {}
    for page in pages:
        slug = getattr(page, "counterpart", None)
        if not slug:
            continue
        lang = page.lang or default_lang
        other_lang = "vi" if lang == "en" else "en"
        other = by_key.get((other_lang, slug))
        if other is None:
            log.warning("cchc_theme: %s: counterpart “%s” is not a %s page", page.source_path, slug, other_lang)
            continue
        pairs[id(page)], pairs[id(other)] = other, page
    return pairs


def counterpart_of(page, index):
    """The page in the other language declared for *page* (either side), or None."""
    return index.get(id(page)) if page is not None else None
