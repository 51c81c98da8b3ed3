"""Document numbers (số ký hiệu) in the two Vietnamese grammars.

State form ``N[letter]?(/YYYY)?/TYPE(-ORG)*``: 179/KH-UBND, 93/2007/QĐ-TTg, 30c/NQ-CP.
Party form ``N-TYPE/ORG``: 16-NQ/TU, 07-Ctr/QU, 48-KL/TW.
Fractions (29/44), dates (15/7/2021), ranges (2021-2025) and percentages never match:
every symbol segment must start with a capital letter.
"""

import re
from dataclasses import dataclass

from . import doctypes
from .text import fold, nfc

_SEG = r"[A-ZĐ][A-Za-zĐđ&]*\d{0,2}"  # "QH15" in 35/2023/UBTVQH15 (the National Assembly's term)
_SP = r"[ \t\u00a0]*"  # people type "179 / KH - UBND"

_STATE = (
    rf"(?P<s_num>\d{{1,6}}[a-zđ]?)(?:{_SP}/{_SP}(?P<s_year>(?:19|20)\d\d))?{_SP}/{_SP}"
    rf"(?P<s_sym>{_SEG}(?:{_SP}-{_SP}{_SEG})*)"
)
_PARTY = (
    rf"(?P<p_num>\d{{1,6}}){_SP}-{_SP}(?P<p_type>{_SEG}){_SP}/{_SP}"
    rf"(?P<p_org>{_SEG}(?:{_SP}-{_SP}{_SEG})*)"
)
_BOUND_L = r"(?<![\w/.\-])"
_BOUND_R = r"(?![\w/])"
DOCNUM_RE = re.compile(rf"{_BOUND_L}(?:{_PARTY}|{_STATE}){_BOUND_R}")
_FULL_RE = re.compile(rf"^\s*(?:{_PARTY}|{_STATE})\s*\.?\s*$")


@dataclass(frozen=True)
class DocNumber:
    """A normalised document number."""

    number: str  # "179", "30c"
    symbol: str  # "KH-UBND", "NQ/TU"
    year: str = ""  # "2007" in 93/2007/QĐ-TTg
    party: bool = False

    @property
    def text(self):
        """Canonical written form, e.g. ``179/KH-UBND`` or ``16-NQ/TU``."""
        if self.party:
            kind, org = self.symbol.split("/", 1)
            return f"{self.number}-{kind}/{org}"
        if self.year:
            return f"{self.number}/{self.year}/{self.symbol}"
        return f"{self.number}/{self.symbol}"

    @property
    def kind(self):
        """Type code: KH, QĐ, NQ, CT, Ctr…"""
        if self.party:
            return self.symbol.split("/", 1)[0]
        return self.symbol.split("-", 1)[0]

    @property
    def key(self):
        """Folded, case-insensitive key: ``179/kh-ubnd`` (what people type without marks)."""
        return fold(self.text)

    @property
    def slug(self):
        """ASCII slug for URLs: ``179-kh-ubnd``."""
        return re.sub(r"[^a-z0-9]+", "-", self.key).strip("-")

    def __str__(self):
        return self.text


def _squeeze(text):
    return re.sub(r"[ \t\u00a0]+", "", text)


def _from_match(m):
    if m.group("p_num"):
        return DocNumber(
            number=m.group("p_num"),
            symbol=f"{m.group('p_type')}/{_squeeze(m.group('p_org'))}",
            party=True,
        )
    return DocNumber(
        number=m.group("s_num"),
        symbol=_squeeze(m.group("s_sym")),
        year=m.group("s_year") or "",
    )


def parse_doc_number(text):
    """Parse a whole string as one document number; None if it is not one."""
    m = _FULL_RE.match(nfc(str(text)))
    return _from_match(m) if m else None


def find_doc_numbers(text):
    """Every document number in *text*, in order of first appearance, de-duplicated."""
    seen = {}
    for m in DOCNUM_RE.finditer(nfc(text)):
        doc = _from_match(m)
        seen.setdefault(doc.text, doc)
    return list(seen.values())


def find_doc_number_spans(text):
    """(start, end, DocNumber) for every occurrence, for linking inside bodies."""
    return [(m.start(), m.end(), _from_match(m)) for m in DOCNUM_RE.finditer(text)]


def doc_type_of(doc):
    """Document type implied by the symbol ("Kế hoạch" for 179/KH-UBND); "" when unknown."""
    return doctypes.BY_CODE.get(fold(doc.kind), "")


# A type name followed by "số" and a bare number: "Quyết định số 1578", "Nghị quyết số 09".
_TYPE_ALT = "|".join(f"[{w[0]}{w[0].lower()}]{re.escape(w[1:])}" for w in doctypes.NAMES)
# The number must not go on into a symbol ("số 136/KH-UBND", "số 07-Ctr/QU", "số 179 / KH").
BARE_RE = re.compile(
    rf"(?<!\w)(?P<type>{_TYPE_ALT}){_SP}số{_SP}(?P<num>\d{{1,6}}[a-zđ]?)"
    rf"(?![\w/.,]\d|[\w/]|{_SP}[-/]{_SP}[\dA-ZĐ])"
)


@dataclass(frozen=True)
class BareReference:
    """A citation with a number but no symbol, which no page can be made for."""

    doc_type: str  # "Quyết định"
    number: str  # "1578"
    start: int
    end: int

    @property
    def text(self):
        return f"{self.doc_type} số {self.number}"


def find_bare_references(text):
    """Every "Quyết định số 1578"-style citation without a symbol, in order (not de-duplicated)."""
    out = []
    for m in BARE_RE.finditer(nfc(text)):
        word = m.group("type")
        out.append(BareReference(word[0].upper() + word[1:], m.group("num"), m.start(), m.end()))
    return out
