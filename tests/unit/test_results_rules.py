"""Rule tables for results: the indicator catalogue's aliases, reporting periods, and the status
of a target against its results (đạt / chưa đạt / chưa đến hạn / chưa có số liệu) at its edges."""

from datetime import date

import pytest

from cchc.core import indicators, results
from cchc.core.results import MET, NO_DATA, NOT_DUE, NOT_MET, PeriodError, parse_period, target_status


@pytest.mark.parametrize("measure, code", [
    # the two wordings of today's plans (Bình Lục 2024, Tây Hồ 2021-2025): one indicator
    ("Mức độ hài lòng của cá nhân, tổ chức, doanh nghiệp đối với sự phục vụ của cơ quan hành chính nhà nước",
     "hai-long"),
    ("Mức độ hài lòng của người dân, tổ chức đối với chất lượng cung cấp dịch vụ công", "hai-long"),
    ("muc do hai long cua nguoi dan", "hai-long"),
    ("Chỉ số SIPAS của huyện", "sipas"),
    ("Chỉ số hài lòng về sự phục vụ hành chính", "sipas"),
    ("Chỉ số cải cách hành chính (PAR Index)", "par-index"),
    ("Xếp hạng Chỉ số cải cách hành chính", "par-index-hang"),
    ("Tỷ lệ hồ sơ nộp trực tuyến", "ho-so-truc-tuyen"),
    ("Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến toàn trình", "dvc-toan-trinh"),
    ("Tỷ lệ hồ sơ được xử lý trên môi trường điện tử", "ho-so-dien-tu"),
    ("Tỷ lệ kết quả giải quyết thủ tục hành chính được số hóa", "so-hoa-ket-qua"),
    ("Tỷ lệ hồ sơ giải quyết đúng hạn", "ho-so-dung-han"),
    ("Số TTHC được đơn giản hóa", "tthc-don-gian-hoa"),
    # the other targets of today's Tây Hồ plan
    ("Số lượng thủ tục hành chính được rút ngắn thời gian (tăng thêm)", "tthc-rut-ngan"),
    ("Tỷ lệ hồ sơ thực hiện DVCTT và TTHC trên môi trường điện tử so với tổng số hồ sơ tiếp nhận",
     "ho-so-truc-tuyen"),
    ("Tỷ lệ hồ sơ giải quyết TTHC được luân chuyển trong nội bộ bằng phương thức điện tử", "ho-so-dien-tu"),
    ("Tỷ lệ hồ sơ TTHC đã giải quyết thành công được số hóa, lưu trữ và có giá trị tái sử dụng", "so-hoa-ket-qua"),
    ("Trồng cây xanh", None),
    ("", None),
])
def test_alias_names_one_indicator(measure, code):
    found = indicators.match(measure)
    assert (found.code if found else None) == code


def test_catalogue_is_whole():
    for ind in indicators.INDICATORS:
        assert ind.better in (indicators.HIGHER, indicators.LOWER) and ind.unit and ind.name and ind.name_en
    assert indicators.BY_CODE["par-index-hang"].better == indicators.LOWER
    assert "hai-long" in indicators.unknown_code_message("hai-lon")


@pytest.mark.parametrize("text, kind, start, end", [
    ("quý I/2025", "quy", date(2025, 1, 1), date(2025, 3, 31)),
    ("Quý IV năm 2024", "quy", date(2024, 10, 1), date(2024, 12, 31)),
    ("quy 2/2025", "quy", date(2025, 4, 1), date(2025, 6, 30)),
    ("6 tháng đầu năm 2025", "6-thang-dau", date(2025, 1, 1), date(2025, 6, 30)),
    ("sáu tháng cuối năm 2024", "6-thang-cuoi", date(2024, 7, 1), date(2024, 12, 31)),
    ("9 tháng đầu năm 2025", "9-thang", date(2025, 1, 1), date(2025, 9, 30)),
    ("năm 2025", "nam", date(2025, 1, 1), date(2025, 12, 31)),
    ("2024", "nam", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_period_table(text, kind, start, end):
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert parse_period(period.label) == period  # the label reads back


@pytest.mark.parametrize("text", ["quý V/2025", "quý 0/2025", "7 tháng đầu năm 2025", "năm 25",
                                  "6 tháng giữa năm 2025", "", "tháng 13/2025"])
def test_period_not_real(text):
    with pytest.raises(PeriodError, match="không phải một kỳ báo cáo"):
        parse_period(text)


def _r(value, as_of):
    return {"value": value, "as_of": as_of}


TODAY = date(2026, 3, 1)


@pytest.mark.parametrize("comparator, target, year, found, better, today, status", [
    # exactly on the target: ≥ meets it, > does not
    (">=", 95, 2025, [_r(95, date(2025, 12, 31))], "higher", TODAY, MET),
    (">", 95, 2025, [_r(95, date(2025, 12, 31))], "higher", TODAY, NOT_MET),
    (">", 95, 2025, [_r(95.01, date(2025, 12, 31))], "higher", TODAY, MET),
    ("<=", 10, 2025, [_r(10, date(2025, 6, 30))], "lower", TODAY, MET),
    ("<", 10, 2025, [_r(10, date(2025, 6, 30))], "lower", TODAY, NOT_MET),
    # "=" (written without sign: "100%") follows the indicator's better direction
    ("=", 100, 2025, [_r(100, date(2025, 12, 31))], "higher", TODAY, MET),
    ("=", 5, 2025, [_r(3, date(2025, 12, 31))], "lower", TODAY, MET),
    ("=", 5, 2025, [_r(6, date(2025, 12, 31))], "lower", TODAY, NOT_MET),
    # a result dated after the deadline does not count for it
    (">=", 95, 2025, [_r(97, date(2026, 1, 15))], "higher", TODAY, NO_DATA),
    (">=", 95, 2025, [_r(90, date(2025, 12, 31)), _r(97, date(2026, 1, 15))], "higher", TODAY, NOT_MET),
    # the latest counted result decides
    (">=", 95, 2025, [_r(96, date(2025, 6, 30)), _r(94, date(2025, 12, 31))], "higher", TODAY, NOT_MET),
    # before the deadline: reached early, or not due yet (with or without data)
    (">=", 95, 2026, [_r(96, date(2025, 12, 31))], "higher", TODAY, MET),
    (">=", 95, 2026, [_r(90, date(2025, 12, 31))], "higher", TODAY, NOT_DUE),
    (">=", 95, 2026, [], "higher", TODAY, NOT_DUE),
    # the deadline's own last day is still before it has passed
    (">=", 95, 2025, [], "higher", date(2025, 12, 31), NOT_DUE),
    (">=", 95, 2025, [], "higher", date(2026, 1, 1), NO_DATA),
    # no deadline written: the latest result decides
    (">=", 95, None, [_r(90, date(2025, 12, 31))], "higher", TODAY, NOT_MET),
    (">=", 95, None, [], "higher", TODAY, NO_DATA),
    # decimals compare as written (95,0 is 95)
    (">=", 96.6, 2025, [_r(96.6, date(2025, 12, 31))], "higher", TODAY, MET),
])
def test_status_table(comparator, target, year, found, better, today, status):
    got = target_status({"comparator": comparator, "value": target, "year": year}, found, today, better)
    assert got.code == status
    assert got.code in results.STATUSES


# The period a report page names in its title or first lines (the importer, issue 27) --------------

@pytest.mark.parametrize("text, label, written", [
    ("Báo cáo kết quả công tác cải cách hành chính quý I năm 2025", "quý I/2025", "quý I năm 2025"),
    ("BÁO CÁO Kết quả CCHC Quý II/2025", "quý II/2025", "Quý II/2025"),
    ("Báo cáo kết quả CCHC 6 tháng đầu năm 2025", "6 tháng đầu năm 2025", "6 tháng đầu năm 2025"),
    ("Báo cáo sáu tháng cuối năm 2024", "6 tháng cuối năm 2024", "sáu tháng cuối năm 2024"),
    ("Báo cáo 9 tháng năm 2025", "9 tháng đầu năm 2025", "9 tháng năm 2025"),
    ("Báo cáo kết quả cải cách hành chính năm 2024", "năm 2024", "năm 2024"),
    ("báo cáo quý IV/2024 và năm 2024", "quý IV/2024", "quý IV/2024"),  # the first, most specific
    ("Báo cáo tổng kết giai đoạn 2021-2025", None, None),  # a span of years is no period
    ("Quyết định ban hành Quy chế", None, None),  # "quy" inside a word
    ("Báo cáo quý 5/2024", None, None),
    ("Kế hoạch năm 20255", None, None),
])
def test_find_period_in_running_text(text, label, written):
    from cchc.core.results import find_period

    found = find_period(text)
    if label is None:
        assert found is None
    else:
        assert (found[0].label, found[1]) == (label, written)


# --- a report names the plan it reports on ------------------------------------------------------

def _report(plans_line, status=""):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "fixtures" / "results" / "bao-cao" / "bao-cao-kiem-thu-nam-2024.md"
            ).read_text(encoding="utf-8")
    text = text.replace("plans: [ke-hoach-kiem-thu-chi-tieu]", plans_line)
    return text.replace("---\n", f"---\n{status}", 1) if status else text


def test_a_published_report_with_no_plan_is_an_error_on_its_line():
    """`plans: []` on a report used to pass the check (an empty list counted as written): a
    report is results against a plan, so once published it must name one (schema.AT_LEAST_ONE)."""
    from cchc.core.schema import ContentError, read_document

    read_document("content/bao-cao/r.md", _report("plans: [ke-hoach-kiem-thu-chi-tieu]"))
    with pytest.raises(ContentError) as err:
        read_document("content/bao-cao/r.md", _report("plans: []"))
    [problem] = [p for p in err.value.problems if p.field == "plans"]
    assert problem.line == 15
    assert "cần ít nhất một mục" in problem.message and "status: draft" in problem.message
    read_document("content/bao-cao/r.md", _report("plans: []", status="status: draft\n"))  # a draft may wait


def test_a_plan_may_wait_for_its_first_news_item():
    from pathlib import Path

    from cchc.core.schema import read_document

    plan = Path(__file__).resolve().parents[1] / "fixtures" / "results" / "ke-hoach" / "ke-hoach-kiem-thu-chi-tieu.md"
    text = plan.read_text(encoding="utf-8")
    assert "\nnews: []\n" in text
    read_document("content/ke-hoach/k.md", text)


def test_the_editor_asks_for_a_plan_on_a_report_only():
    from cchc.studio import cmsconfig

    conf = cmsconfig.cms_config({"backend": {"name": "git-gateway"}})
    plans = {c["name"]: next((f for f in c.get("fields", []) if f["name"] == "plans"), None)
             for c in conf["collections"]}
    report = next(f for name, f in plans.items() if f and name.startswith("bao"))
    news = next(f for name, f in plans.items() if f and name.startswith("tin"))
    assert report.get("min") == 1
    assert "min" not in news
