"""Rule tables for the shared core: bare references and the type a symbol implies."""

import pytest

from cchc_core import doc_type_of, find_bare_references, parse_doc_number


@pytest.mark.parametrize("text, found", [
    ("Thực hiện Quyết định số 1578 ngày 06 tháng 9 năm 2021", ["Quyết định số 1578"]),
    ("theo Nghị quyết số 17 ngày 15 tháng 9 năm 2021; Nghị quyết số 09 ngày 26/8/2022",
     ["Nghị quyết số 17", "Nghị quyết số 09"]),
    ("(“Quyết định số 1578”, “Nghị quyết số 17”)", ["Quyết định số 1578", "Nghị quyết số 17"]),
    ("đã ban hành kế hoạch số 45 về", ["Kế hoạch số 45"]),
    ("Quyết định số 1578.", ["Quyết định số 1578"]),
    ("Chỉ thị số 23a của", ["Chỉ thị số 23a"]),
    # Full numbers are not bare, in either grammar, with or without spaces.
    ("Kế hoạch số 136/KH-UBND ngày 01/6/2021", []),
    ("kế hoạch số 224/KH-UBND", []),
    ("Chương trình số 07-Ctr/QU ngày 19/10/2020", []),
    ("Quyết định số 93/2007/QĐ-TTg", []),
    ("Kế hoạch số 179 / KH - UBND", []),
    ("Nghị quyết số 30c/NQ-CP", []),
    # Not a citation at all.
    ("xếp thứ 29/44, số 1578 hồ sơ", []),
    ("Quyết định số 1.578", []),
    ("Quyết định số lượng", []),
])
def test_bare_references(text, found):
    assert [r.text for r in find_bare_references(text)] == found


def test_bare_reference_positions_point_at_the_citation():
    text = "Thực hiện Quyết định số 1578 ngày 06"
    (ref,) = find_bare_references(text)
    assert text[ref.start:ref.end] == "Quyết định số 1578" and ref.number == "1578"


@pytest.mark.parametrize("number, doc_type", [
    ("179/KH-UBND", "Kế hoạch"),
    ("2866/QĐ-UBND", "Quyết định"),
    ("14460/QD-UBND", "Quyết định"),
    ("76/NQ-CP", "Nghị quyết"),
    ("23/CT-TTg", "Chỉ thị"),
    ("07-Ctr/QU", "Chương trình"),
    ("07-CTr/QU", "Chương trình"),
    ("16-NQ/TU", "Nghị quyết"),
    ("48-KL/TW", "Kết luận"),
    ("93/2007/QĐ-TTg", "Quyết định"),
    ("4912/UBND-NC", "Công văn"),
    ("12/XYZ-UBND", ""),
])
def test_doc_type_of_symbol(number, doc_type):
    assert doc_type_of(parse_doc_number(number)) == doc_type
