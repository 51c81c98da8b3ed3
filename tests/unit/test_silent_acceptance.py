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
