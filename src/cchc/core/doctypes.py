"""The one table of document types (loại văn bản); every other list of types is derived from it.

Used for the front-matter choice ``doc_type`` (``schema``), the type a symbol implies
(``docnum.doc_type_of``: 179/KH-UBND → Kế hoạch), the bare citations the checker finds
("Quyết định số 1578", ``docnum.find_bare_references``) and the example number in the
checker's advice (``cchc.cli.notices``). State codes as in Nghị định 30/2020/NĐ-CP, Phụ lục III;
the Party writes the same codes in its own form. The order is the order of the ``/van-ban/`` listing.
"""

from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class DocType:
    """One document type: its name, the code its symbol carries and which bodies issue it."""

    name: str  # as written in full: "Quyết định"
    code: str = ""  # the type code in a symbol: QĐ in 2866/QĐ-UBND; "" when the symbol has none
    aliases: tuple = ()  # other symbol prefixes that imply the type (compared folded, any case)
    state: bool = True  # state form N/CODE-ORG (179/KH-UBND)
    party: bool = False  # Party form N-CODE/ORG (16-NQ/TU)


TYPES = (
    DocType("Kế hoạch", "KH", party=True),
    DocType("Quyết định", "QĐ", party=True),
    DocType("Nghị quyết", "NQ", party=True),
    DocType("Chương trình", "CTr", party=True),  # seen as Ctr too (07-Ctr/QU): codes compare folded
    DocType("Chỉ thị", "CT", party=True),
    # A letter (4912/UBND-NC) has no type code: its symbol starts with the issuer.
    DocType("Công văn", aliases=("UBND",)),
    DocType("Thông tư", "TT"),
    DocType("Nghị định", "NĐ"),
    DocType("Luật"),  # 80/2015/QH13: the symbol names the National Assembly, not the type
    DocType("Kết luận", "KL", party=True),
    DocType("Thông báo", "TB", party=True),
    DocType("Đề án", "ĐA", party=True),
    DocType("Báo cáo", "BC", party=True),
    DocType("Hướng dẫn", "HD", party=True),
)

NAMES = tuple(t.name for t in TYPES)
BY_NAME = {t.name: t for t in TYPES}
# folded symbol code → type name ("qd" → "Quyết định"); "Ctr" and "CTr" agree.
BY_CODE = {fold(code): t.name for t in TYPES for code in (t.code, *t.aliases) if code}
