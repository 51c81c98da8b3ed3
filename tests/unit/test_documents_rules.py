"""Rule tables for the shared core: bare references and the type a symbol implies."""

import pytest

from cchc.core import doc_type_of, doctypes, find_bare_references, parse_doc_number
from cchc.core.schema import DOC_TYPES


@pytest.mark.parametrize("text, found", [
    ("Thực hiện Quyết định số 1578 ngày 06 tháng 9 năm 2021", ["Quyết định số 1578"]),
    ("theo Nghị quyết số 17 ngày 15 tháng 9 năm 2021; Nghị quyết số 09 ngày 26/8/2022",
     ["Nghị quyết số 17", "Nghị quyết số 09"]),
    ("(“Quyết định số 1578”, “Nghị quyết số 17”)", ["Quyết định số 1578", "Nghị quyết số 17"]),
    ("đã ban hành kế hoạch số 45 về", ["Kế hoạch số 45"]),
    ("Quyết định số 1578.", ["Quyết định số 1578"]),
    ("Chỉ thị số 23a của", ["Chỉ thị số 23a"]),
    # Every type of the one table is found, whatever the case of its first letter.
    ("theo Đề án số 06 và Hướng dẫn số 12", ["Đề án số 06", "Hướng dẫn số 12"]),
    ("Báo cáo số 7 ngày 10/01/2024", ["Báo cáo số 7"]),
    ("thông báo số 15, đề án số 3", ["Thông báo số 15", "Đề án số 3"]),
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
    ("05/HD-BNV", "Hướng dẫn"),
    ("12-BC/TU", "Báo cáo"),
    ("06/ĐA-UBND", "Đề án"),
])
def test_doc_type_of_symbol(number, doc_type):
    assert doc_type_of(parse_doc_number(number)) == doc_type


@pytest.mark.parametrize("kind", doctypes.TYPES, ids=lambda t: t.name)
def test_each_document_type_is_a_choice_a_citation_and_a_symbol(kind):
    """One table: a type staff may choose is found as a bare citation and, with a code, in a symbol."""
    assert kind.name in DOC_TYPES
    assert [r.doc_type for r in find_bare_references(f"theo {kind.name} số 12 ngày")] == [kind.name]
    for code in filter(None, (kind.code, *kind.aliases)):
        if kind.state:
            assert doc_type_of(parse_doc_number(f"12/{code}-UBND")) == kind.name
        if kind.party:
            assert doc_type_of(parse_doc_number(f"12-{code}/TU")) == kind.name


# --- Linking numbers in post bodies ----------------------------------------------------------

LINK_CASES = [
    # an existing link and a heading stay as they are; the first later mention is linked
    '<p>Theo <a href="/x">179/KH-UBND</a> và 179/KH-UBND, 16-NQ/TU.</p><h2>Số 93/2007/QĐ-TTg</h2>'
    "<p>93/2007/QĐ-TTg và 93/2007/QĐ-TTg</p>",
    # code, comments, script, style, template: never linked
    "<p>a <code>179/KH-UBND</code> b 179/KH-UBND</p><!-- 16-NQ/TU --><p>16-NQ/TU<br />x</p>",
    '<script>var a = "179/KH-UBND"</script><style>/* 16-NQ/TU */</style><p>179/KH-UBND</p>',
    "<div><p>x<em>179/KH-UBND</em></p><template>16-NQ/TU</template><p>16-NQ/TU</p></div>",
    # character references: the post is parsed instead (a "&" may be part of a number)
    "<p>93/2007/QĐ-TTg &amp; 12/SKH&amp;ĐT, &quot;179/KH-UBND&quot;</p>",
    "<p>1 < 2 và 179/KH-UBND</p><ul><li>Số 179 / KH - UBND</li></ul>",
    "<p>Không có số nào đã biết: 45/KH-UBND</p>",
]


def test_linked_body_is_what_the_parsed_rewrite_gives():
    """link_numbers inserts links into the source text; parsed and written out, the result
    must be the tree the full parse-and-rewrite (_link_numbers_parsed) makes: same links,
    same places, nothing else changed."""
    from bs4 import BeautifulSoup
    from markdown import markdown

    from cchc_documents.cchc_documents import _HTML5, _link_numbers_parsed, link_numbers
    from conftest import ROOT

    class Doc:
        def __init__(self, key):
            self.url = "van-ban/" + key.replace("/", "-") + "/"

    class Registry:
        docs = {k: Doc(k) for k in ("179/kh-ubnd", "16-nq/tu", "93/2007/qd-ttg", "12/skh&dt",
                                    "1149/qd-ubnd", "76/nq-cp", "136/kh-ubnd")}

    posts = LINK_CASES + [markdown(p.read_text(encoding="utf-8").split("---", 2)[-1],
                                   extensions=["extra", "sane_lists"], output_format="html5")
                          for p in sorted((ROOT / "content").rglob("*.md"))]
    linked = 0
    for html in posts:
        ours = link_numbers(html, Registry, "")
        reference = _link_numbers_parsed(html, Registry, "")
        if ours is None:
            assert reference is None, html
            continue
        linked += 1
        assert BeautifulSoup(ours, "html.parser").decode(formatter=_HTML5) == reference, html
    assert linked >= 6


@pytest.mark.parametrize("body, advice", [
    ("Theo Quyết định số 1578 của tỉnh", "(dạng 1578/QĐ-…, hoặc văn bản của Đảng 1578-QĐ/…)"),
    ("Theo Nghị định số 61 của Chính phủ", "(dạng 61/NĐ-…)"),  # the Party issues no decrees
    ("Theo Công văn số 4912 của tỉnh", "hãy viết đủ số ký hiệu"),  # a letter's symbol has no type code
])
def test_check_advice_shows_the_forms_of_the_type(body, advice):
    from cchc.cli.notices import bare_reference_notices
    from cchc.core.schema import Document

    (notice,) = bare_reference_notices([Document("a.md", {}, body, 5)])
    assert notice.line == 5 and str(notice).endswith(advice)


@pytest.mark.parametrize("target, text", [
    ({"comparator": ">=", "value": 95.0, "unit": "%"}, "≥ 95%"),
    ({"comparator": ">", "value": 96.6, "unit": "%"}, "> 96,6%"),
    ({"comparator": "<=", "value": 3.0, "unit": " ngày"}, "≤ 3 ngày"),
    ({"comparator": "=", "value": 100.0, "unit": "%"}, "100%"),  # no sign, no stray space
    ({"comparator": "<", "value": 0.5, "unit": ""}, "< 0,5"),
])
def test_target_text_uses_the_decimal_comma_and_the_sign(target, text):
    """One helper for the plan page, the /chi-tieu/ table (filter target_text) and the chart."""
    from cchc.core.numbers import target_text

    assert target_text(target) == text
