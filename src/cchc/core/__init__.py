"""Vietnamese text rules shared by every plugin, the staff CLI and the search build.

Each rule exists once, here: NFC, folding (strip tone marks, đ→d), ASCII slugs,
day-first dates in Asia/Ho_Chi_Minh, document numbers (số ký hiệu) and document types,
the CCHC areas and the front-matter schema.
"""

from . import doctypes
from .areas import AREAS, area_label
from .dates import VN_TZ, format_vi_date, parse_vi_date
from .docnum import (
    BareReference,
    DocNumber,
    doc_type_of,
    find_bare_references,
    find_doc_number_spans,
    find_doc_numbers,
    parse_doc_number,
)
from .text import collapse_spaces, fold, nfc, slugify

__all__ = [
    "AREAS",
    "VN_TZ",
    "BareReference",
    "DocNumber",
    "area_label",
    "collapse_spaces",
    "doc_type_of",
    "doctypes",
    "find_bare_references",
    "find_doc_number_spans",
    "find_doc_numbers",
    "fold",
    "format_vi_date",
    "nfc",
    "parse_doc_number",
    "parse_vi_date",
    "slugify",
]
