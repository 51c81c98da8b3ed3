"""Issue 31: what the check once accepted silently (an empty body, a summary used whole as the
meta description) is an error at file:line:field, called as the check calls it (no CLI)."""

import pytest

from cchc.core.schema import SUMMARY_LIMIT, ContentError, read_document

NEWS = """---
type: tin-tuc
id: 5b0f7a52-8a55-4a8e-9d38-1c1f3c0c2b11
title: "Quận Tây Hồ đẩy mạnh một cửa liên thông"
date: 10/03/2024 08:30
locality: Quận Tây Hồ
province: Thành phố Hà Nội
summary: "{summary}"
areas: [thu-tuc-hanh-chinh]
---
{body}"""


def _problems(summary="Quận Tây Hồ rút ngắn thời gian giải quyết hồ sơ.", body="Nội dung tin.\n"):
    try:
        read_document("content/tin-tuc/a.md", NEWS.format(summary=summary, body=body))
    except ContentError as exc:
        return exc.problems
    return []


def test_a_complete_news_item_passes():
    assert _problems() == []


@pytest.mark.parametrize("body", ["", "\n", "   \n\n  \n"])
def test_an_empty_body_is_an_error_at_the_body_line(body):
    [problem] = _problems(body=body)
    assert problem.line in (11, 12) and "chưa có nội dung" in str(problem)  # where the body starts


@pytest.mark.parametrize("length, errors", [(SUMMARY_LIMIT, 0), (SUMMARY_LIMIT + 1, 1), (2000, 1)])
def test_a_summary_longer_than_the_limit_is_an_error_with_its_length(length, errors):
    found = _problems(summary="a" * length)
    assert len(found) == errors
    if errors:
        assert found[0].field == "summary" and found[0].line == 8
        assert f"dài {length} ký tự, quá giới hạn {SUMMARY_LIMIT}" in str(found[0])


PLAN = """---
type: ke-hoach
id: 5b0f7a52-8a55-4a8e-9d38-1c1f3c0c2b12
title: "Kế hoạch cải cách hành chính năm 2024"
date: 10/03/2024
doc_type: Kế hoạch
doc_number: {number}
issuer: UBND quận Tây Hồ
period: "2024"
locality: Quận Tây Hồ
summary: "Kế hoạch năm 2024."
areas: [the-che]
news: []
legal_bases:
  - number: {basis}
    doc_type: Nghị quyết
---
Nội dung kế hoạch.
"""


def _plan(number="179/KH-UBND", basis="76/NQ-CP"):
    return read_document("content/ke-hoach/a.md", PLAN.format(number=number, basis=basis))


@pytest.mark.parametrize("written, published, why", [
    ("179/KH - UBND", "179/KH-UBND", "số ký hiệu viết liền, không có khoảng trắng"),
    ("179 / KH-UBND", "179/KH-UBND", "số ký hiệu viết liền, không có khoảng trắng"),
    ("179/KH\u00a0-\u00a0UBND", "179/KH-UBND", "số ký hiệu viết liền, không có khoảng trắng"),
    ("179/KH-UBND.", "179/KH-UBND", "bỏ dấu chấm ở cuối"),
    ("16 - NQ/TU", "16-NQ/TU", "số ký hiệu viết liền, không có khoảng trắng"),
])
def test_a_normalised_number_is_a_warning_with_the_published_form(written, published, why):
    doc = _plan(number=written)
    assert doc.meta["doc_number"] == published
    [warning] = doc.rewritten
    assert (warning.field, warning.line) == ("doc_number", 7)
    assert str(warning) == (f"content/ke-hoach/a.md:7: trường “doc_number” (Số ký hiệu): “{written.strip()}” sẽ được "
                            f"đăng là “{published}” ({why}): sửa trong tệp thành {published} để tệp ghi đúng như "
                            "trang, tìm kiếm và trang văn bản sẽ hiện")


def test_a_legal_basis_number_is_warned_on_its_own_line():
    [warning] = _plan(basis="76 /NQ-CP").rewritten
    assert (warning.field, warning.line) == ("legal_bases[0].number", 15)
    assert "“76 /NQ-CP” sẽ được đăng là “76/NQ-CP”" in warning.message


def test_a_number_written_as_published_says_nothing():
    assert _plan().rewritten == []


@pytest.mark.parametrize("written, fix", [
    ("179/KH–UBND", "có dấu gạch dài hoặc dấu gạch chéo lạ (thường do chép từ Word hay PDF); số ký hiệu dùng dấu "
                    "gạch nối - và dấu gạch chéo /: viết 179/KH-UBND"),
    ("179/KH—UBND", "có dấu gạch dài"),
    ("179／KH-UBND", "viết 179/KH-UBND"),
    ("179/kh-ubnd", "ký hiệu viết chữ hoa như trên văn bản gốc, có phải 179/KH-UBND?"),
])
def test_a_number_that_cannot_be_published_names_the_form_to_write(written, fix):
    with pytest.raises(ContentError) as err:
        _plan(number=written)
    [problem] = err.value.problems
    assert (problem.field, problem.line) == ("doc_number", 7) and fix in problem.message, problem.message
