"""When a post last changed: the one rule used by the page, its JSON-LD and the feeds."""


def last_modified(post):
    """The later of ``modified:`` and the newest ``changes:`` entry, or None.

    *post* is a Pelican content object (attributes) or a metadata dict."""
    get = post.get if isinstance(post, dict) else (lambda name: getattr(post, name, None))
    dates = [d for d in (get("modified"), *(c["date"] for c in (get("changes") or [])[:1])) if d]
    return max(dates) if dates else None
