"""Related posts at the end of an article: the same plan or cited document first, then the same
area and locality, newest first within each tier (at most five)."""

import heapq


class RelatedIndex:
    """Indexes of one build's published posts, made once and asked once per article."""

    def __init__(self, articles, registry=None):
        self.order = {id(a): i for i, a in enumerate(articles)}  # Pelican's order: newest first
        self.by_area, self.by_locality, self.by_area_locality = {}, {}, {}
        for art in articles:
            loc = getattr(art, "locality", "") or ""
            for code in getattr(art, "areas", None) or []:
                self.by_area.setdefault(code, []).append(art)
                self.by_area_locality.setdefault((code, loc), []).append(art)
            self.by_locality.setdefault(loc, []).append(art)
        self.registry = registry
        self._sorted = {}  # id(document) → its posts, newest first

    def _by_order(self, posts):
        return sorted((a for a in posts if id(a) in self.order), key=lambda a: self.order[id(a)])

    def _mentions(self, doc):
        """The posts of a document (its own record, the posts citing it), newest first; sorted
        once per document, not once per post citing it (a decree cited by most posts)."""
        held = self._sorted.get(id(doc))
        if held is None:
            own = [doc.record] if doc.record is not None else []
            held = self._sorted[id(doc)] = self._by_order(own + [other for other, _excerpt in doc.mentioned_in])
        return held

    def _linked(self, art):
        """Posts tied to *art* by a plan ↔ news link or a document both cite, newest first
        (lazily: related() reads only the first few)."""
        lists = [self._by_order(list(getattr(art, "plan_objs", []) or [])
                                + list(getattr(art, "news_objs", []) or []))]
        if self.registry is not None:
            lists += [self._mentions(doc) for doc in self.registry.cited_by.get(id(art), [])]
        return heapq.merge(*lists, key=lambda a: self.order[id(a)])

    def related(self, art, limit=5):
        seen, out = {id(art)}, []
        loc = getattr(art, "locality", "") or ""
        areas = getattr(art, "areas", None) or []
        tiers = [self._linked(art)]
        tiers += [self.by_area_locality.get((code, loc), []) for code in areas]
        tiers += [self.by_locality.get(loc, [])] + [self.by_area.get(code, []) for code in areas]
        for tier in tiers:
            for other in tier:
                if id(other) not in seen:
                    seen.add(id(other))
                    out.append(other)
                    if len(out) == limit:
                        return out
        return out


def related_posts(article, index, limit=5):
    """Up to *limit* posts related to *article*, from a RelatedIndex of the build's articles."""
    return index.related(article, limit)


def news_about(plan):
    """The news of a plan: its ``news:`` list, then posts naming its document number, newest first."""
    out = list(getattr(plan, "news_objs", None) or [])
    doc = getattr(plan, "document", None)
    for other, _excerpt in (doc.mentioned_in if doc is not None else []):
        if other is not plan and other not in out and getattr(other, "kind", "") == "tin-tuc":
            out.append(other)
    return out
