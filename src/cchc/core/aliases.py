"""Deprecated names of front-matter fields: still read, so the pages do not change, and reported by
`make check` (a suggestion) with the rename.

One meaning per field name:

- ``official_url``: the document's text at its official source (the issuing agency's portal or an
  official database of legal documents), shown as "Văn bản gốc" on plan, report and document pages
  and given in open data;
- ``source_url``: the address a post had on the old portal, written by ``cchc import`` (with
  ``old_paths``); never shown as the official text.

Until 12/2026 the staff guide called the official text's address ``source_url`` on a plan, and the
document pages read it there too. On the kinds the importer never writes (``ke-hoach``, ``van-ban``)
``source_url`` is therefore read as ``official_url`` when that is not given: :data:`ALIASES`.
"""

# (deprecated name, the field it stands for, the kinds where it does)
ALIASES = (("source_url", "official_url", ("ke-hoach", "van-ban")),)


def resolved(meta, kind=None):
    """*meta* with every deprecated name read as the field it stands for (a copy when changed).
    *kind*: the post's type (default: ``meta["type"]``)."""
    kind = kind or meta.get("type")
    out = meta
    for old, new, kinds in ALIASES:
        if kind in kinds and meta.get(old) and not meta.get(new):
            out = dict(out) if out is meta else out
            out[new] = meta[old]
    return out


def deprecated(meta, kind=None):
    """(deprecated name, the field it stands for) for each one written in *meta*."""
    kind = kind or meta.get("type")
    return [(old, new) for old, new, kinds in ALIASES if kind in kinds and meta.get(old)]
