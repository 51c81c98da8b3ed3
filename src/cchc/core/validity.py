"""Validity of a legal document as dated relations: replaced, repealed or amended by another.

One place for what "in force" means on the portal: the document pages (cchc_documents) and the
suggestions of `cchc check` both read it. A document's own record (content/van-ban/ or a plan)
carries ``replaced_by`` / ``repealed_by`` / ``amended_by`` ([{number, date, note}]) and, when
staff know it, ``validity``; the inverse relations are computed, never written twice.
"""

import datetime as dt
from dataclasses import dataclass

from .docnum import parse_doc_number

# field → (code of the relation, code of its inverse); the words are the theme's (theme/ui.yaml).
RELATIONS = {"replaced_by": "replaces", "repealed_by": "repeals", "amended_by": "amends"}
ENDING = ("replaced_by", "repealed_by")  # relations after whose date the document is no longer in force


@dataclass(frozen=True)
class Relation:
    """One dated relation written on a document's record: *kind* of *number* from *date*."""

    kind: str  # a key of RELATIONS
    number: object  # cchc.core.DocNumber of the other document
    date: dt.datetime
    note: str | None = None


@dataclass(frozen=True)
class Status:
    """Where a document stands on a day: code is con-hieu-luc, het-hieu-luc, bi-thay-the or chua-ro;
    ``since`` and ``by`` say from when and by which relation, ``ends`` a later end already decided."""

    code: str
    since: dt.datetime | None = None
    by: Relation | None = None
    ends: Relation | None = None

    @property
    def in_force(self):
        return self.code not in ("het-hieu-luc", "bi-thay-the")


def relations(meta):
    """Every relation of a record's front matter (checked metadata), in field order."""
    out = []
    for kind in RELATIONS:
        for item in meta.get(kind) or []:
            number = parse_doc_number(item["number"])
            if number is not None:
                out.append(Relation(kind, number, item["date"], item.get("note")))
    return out


def end_of(meta):
    """The earliest replacing or repealing relation of a record, or None."""
    ending = [r for r in relations(meta) if r.kind in ENDING]
    return min(ending, key=lambda r: r.date) if ending else None


def status(meta, day):
    """The Status of a record's document on *day* (a date or datetime)."""
    day = day.date() if isinstance(day, dt.datetime) else day
    end = end_of(meta)
    if end is not None and end.date.date() <= day:
        return Status("bi-thay-the" if end.kind == "replaced_by" else "het-hieu-luc", end.date, end)
    written = meta.get("validity")
    if written == "het-hieu-luc":
        return Status("het-hieu-luc")
    return Status("con-hieu-luc" if written == "con-hieu-luc" else "chua-ro", ends=end)


def ended_citations(docs):
    """(post, line, record, end relation) for each post dated on or after the end of a document
    it cites (a legal basis, the summary or the body). *docs*: checked schema.Documents."""
    from .docnum import find_doc_number_spans

    ends = {}
    for doc in docs:
        if doc.meta["type"] in ("van-ban", "ke-hoach") and doc.meta.get("doc_number"):
            end = end_of(doc.meta)
            if end is not None:
                ends[parse_doc_number(doc.meta["doc_number"]).key] = (doc, end)
    if not ends:
        return []
    found = []
    for doc in docs:
        date = doc.meta.get("date")
        if doc.meta["type"] not in ("tin-tuc", "ke-hoach", "bao-cao") or date is None:
            continue
        own = parse_doc_number(doc.meta.get("doc_number") or "")
        seen = {own.key} if own else set()
        places = [(doc.lines.get(f"legal_bases[{i}].number"), b.get("number") or "")
                  for i, b in enumerate(doc.meta.get("legal_bases") or [])]
        places.append((doc.lines.get("summary"), doc.meta.get("summary") or ""))
        places += list(enumerate(doc.body.splitlines(), start=doc.body_line))
        for line, text in places:
            for _s, _e, number in find_doc_number_spans(text):
                if number.key in ends and number.key not in seen:
                    seen.add(number.key)
                    record, end = ends[number.key]
                    if date.date() >= end.date.date():
                        found.append((doc, line, record, end))
    return found
