"""Issue 27: reports, the indicator catalogue and targets measured against results, on a real build.

The site is the seed content plus tests/fixtures/results/ (a plan and two reports, made-up test
figures, never real results), built as of 01/03/2026 (CCHC_NOW)."""

import csv
import io
import json
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, make_project, run_cchc

FIXTURES = ROOT / "tests" / "fixtures" / "results"
NOW = {"CCHC_NOW": "2026-03-01T12:00:00+07:00"}
PLAN = "ke-hoach/ke-hoach-kiem-thu-chi-tieu/"
YEAR_REPORT = "bao-cao/bao-cao-kiem-thu-nam-2024-du-lieu-kiem-thu/"
HALF_REPORT = "bao-cao/bao-cao-kiem-thu-6-thang-dau-nam-2024-du-lieu-kiem-thu/"


def page(root, url):
    return BeautifulSoup((root / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def cells(tr):
    return [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]


def _project(tmp_path):
    proj = make_project(tmp_path, ROOT / "content")
    for folder in ("ke-hoach", "bao-cao", "chi-so"):
        (proj / "content" / folder).mkdir(exist_ok=True)
        for f in (FIXTURES / folder).glob("*.*ml") if folder == "chi-so" else (FIXTURES / folder).glob("*.md"):
            shutil.copy(f, proj / "content" / folder / f.name)
    return proj


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    proj = _project(tmp_path_factory.mktemp("results"))
    proc = build(proj, env=NOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj / "output"


def test_plan_page_shows_each_targets_latest_result_and_status(site):
    plan = page(site, PLAN)
    rows = [cells(tr) for tr in plan.select("table[aria-labelledby=targets-title] tbody tr")]
    # target, year, result (value, as of, report), status: in words, never colour alone
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("≥ 90%", "2024", "Đạt"),            # 90 exactly on a ≥ 90 target
        ("> 50%", "2024", "Chưa đạt"),       # 50 exactly on a > 50 target
        ("≥ 80%", "2024", "Chưa có số liệu"),  # deadline passed, nothing reported
        ("≥ 95%", "2030", "Chưa đến hạn"),
        ("≤ 5 hạng", "2024", "Đạt"),            # lower is better: rank 4 from the PAR Index file
    ]
    assert rows[4][3].startswith("4 hạng tính đến năm 2024")
    assert rows[0][3].startswith("90% tính đến năm 2024") and "7/BC-UBND" in rows[0][3]
    links = plan.select("table[aria-labelledby=targets-title] tbody tr")[0].select("a[href]")
    assert [a["href"] for a in links] == ["/" + YEAR_REPORT]


def test_plan_page_lists_its_reports_newest_first(site):
    plan = page(site, PLAN)
    timeline = plan.select("ol.c-timeline li")
    assert [li.a["href"] for li in timeline] == ["/" + YEAR_REPORT, "/" + HALF_REPORT]
    assert "Kỳ báo cáo: năm 2024" in timeline[0].get_text(" ", strip=True)


def test_report_page_links_back_to_its_plans_targets(site):
    report = page(site, YEAR_REPORT)
    facts = report.select_one("main .c-facts-box").get_text(" ", strip=True)
    assert "Kỳ báo cáo năm 2024" in facts and "Đơn vị báo cáo UBND quận Tây Hồ" in facts
    hrefs = [a["href"] for a in report.select("main .c-facts a[href]")]
    assert "/" + PLAN + "#targets-title" in hrefs
    results = [cells(tr) for tr in report.select("table[aria-labelledby=results-title] tbody tr")]
    assert results[0][0].startswith("Mức độ hài lòng") and results[0][1] == "90% tính đến năm 2024"
    assert "“mức độ hài lòng đạt 90% (dữ liệu kiểm thử)”" in results[0][2]
    assert report.select_one("table[aria-labelledby=results-title] a[href='https://example.gov.vn/bao-cao-kiem-thu.pdf']")


def test_dashboard_compares_targets_with_results_by_indicator(site):
    dash = page(site, "chi-tieu")
    section = dash.select_one("section[aria-labelledby=chi-tieu-hai-long]")
    rows = [cells(tr) for tr in section.select("tbody tr")]
    test_rows = [(r[2], r[3], r[5]) for r in rows if "kiểm thử" in r[1]]
    assert test_rows == [("≥ 90%", "2024", "Đạt"), ("≥ 95%", "2030", "Chưa đến hạn")]
    # Bình Lục's 2024 target has no report: its status says so in words
    assert [r[5] for r in rows if r[0] == "Huyện Bình Lục"] == ["Chưa có số liệu"]
    svg = section.select_one("figure svg")
    texts = [t.get_text() for t in svg.find_all("text")]
    assert "Kết quả 90% · Đạt" in texts and "Chưa có số liệu" in texts
    assert svg.select("rect.c-chart__result")  # the result drawn beside its target
    # a result on an indicator no plan of its unit has a target for is still shown, under its indicator
    sipas = dash.select_one("section[aria-labelledby=chi-tieu-sipas]")
    assert [cells(tr) for tr in sipas.select("tbody tr")] == [["Quận Tây Hồ", "80% tính đến năm 2024 (theo 7/BC-UBND )"]]


def test_dashboard_draws_each_units_results_over_time_against_its_targets(site):
    """Issue 27: an indicator with results in several periods gets a chart over time (SVG at build
    time, title and description, no script) and the same figures in a table beside it."""
    dash = page(site, "chi-tieu")
    section = dash.select_one("section[aria-labelledby=chi-tieu-hai-long]")
    trends = section.select(".c-trend")
    assert len(trends) == 1  # Tây Hồ has two periods; Bình Lục none
    trend = trends[0]
    assert trend.h3.get_text(" ", strip=True) == "Qua các kỳ: Quận Tây Hồ"
    svg = trend.select_one("figure svg")
    assert svg["role"] == "img" and not dash.select("script[src*=chart]")
    title, desc = (svg.find(id=i) for i in svg["aria-labelledby"].split())
    assert title.name == "title" and desc.name == "desc"
    assert title.get_text() == "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước, Quận Tây Hồ: kết quả qua các kỳ"
    assert desc.get_text() == ("Kết quả: 85% tính đến 6 tháng đầu năm 2024; 90% tính đến năm 2024. "
                               "Chỉ tiêu: > 85% đến năm 2023; ≥ 90% đến năm 2024; ≥ 95% đến năm 2025; ≥ 95% đến năm 2030. "
                               "Bảng bên cạnh có cùng số liệu.")  # every target of the unit on it: its plans
    # the line through the results, oldest first; each target a line across, labelled
    points = [(float(c["cx"]), float(c["cy"])) for c in svg.select("circle.c-trend__point")]
    assert len(points) == 2 and points[0][0] < points[1][0] and points[0][1] > points[1][1]  # 85 then 90: up
    targets = {t.get_text(): float(t.find_previous_sibling("line")["y1"]) for t in svg.select("text.c-trend__target")}
    assert set(targets) == {"Chỉ tiêu > 85% (2023)", "Chỉ tiêu ≥ 90% (2024)", "Chỉ tiêu ≥ 95% (2025, 2030)"}
    assert targets["Chỉ tiêu ≥ 90% (2024)"] == points[1][1]  # 90 reached: the point sits on the line
    assert targets["Chỉ tiêu > 85% (2023)"] == points[0][1]
    assert targets["Chỉ tiêu ≥ 95% (2025, 2030)"] < points[1][1]
    assert [t.get_text() for t in svg.select("text.c-trend__value")] == ["85%", "90%"]
    # the axis is the indicator's own unit, never shared with another quantity
    assert all(t.get_text().endswith("%") for t in svg.select("text.c-trend__tick"))
    rows = [cells(tr) for tr in trend.select("table tbody tr")]
    assert rows == [["6 tháng đầu năm 2024", "85%", "101/BC-UBND"], ["năm 2024", "90%", "7/BC-UBND"]]
    assert trend.select_one("table caption").get_text(" ", strip=True) == (
        "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước, Quận Tây Hồ: kết quả qua các kỳ")
    # online applications: 40,5% then 50% against "> 50%": on the line, yet not met
    online = dash.select_one("section[aria-labelledby=chi-tieu-ho-so-truc-tuyen] .c-trend")
    assert [t.get_text() for t in online.select("text.c-trend__value")] == ["40,5%", "50%"]
    # one period only (the PAR Index rank): no chart over time
    assert not dash.select("section[aria-labelledby=chi-tieu-par-index-hang] .c-trend")


def test_plan_page_draws_its_results_over_time_against_its_own_targets(site):
    plan = page(site, PLAN)
    section = plan.select_one("section[aria-labelledby=plan-trends]")
    assert section.h2.get_text(strip=True) == "Kết quả qua các kỳ"
    charts = {t.h3.get_text(strip=True): t for t in section.select(".c-trend")}
    assert list(charts) == ["Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước",
                            "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận trực tuyến"]  # two periods each
    satisfaction = charts["Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước"]
    svg = satisfaction.select_one("svg")
    # this plan's own targets only (not the other plan of the same unit)
    assert {t.get_text() for t in svg.select("text.c-trend__target")} == {"Chỉ tiêu ≥ 90% (2024)",
                                                                          "Chỉ tiêu ≥ 95% (2030)"}
    assert svg.find(id=svg["aria-labelledby"].split()[1]).name == "desc"
    assert [cells(tr) for tr in satisfaction.select("table tbody tr")] == [
        ["6 tháng đầu năm 2024", "85%", "101/BC-UBND"], ["năm 2024", "90%", "7/BC-UBND"]]
    ids = [e["id"] for e in plan.select("[id]")]
    assert len(ids) == len(set(ids))  # two charts on one page: no id twice


def test_open_data_has_every_target_and_result(site):
    record = json.loads((site / "du-lieu-mo" / "bao-cao" / "bao-cao-kiem-thu-nam-2024-du-lieu-kiem-thu.json")
                        .read_text(encoding="utf-8"))
    assert record["report_period"] == {"kind": "nam", "year": 2024, "label": "năm 2024",
                                       "start": "2024-01-01", "end": "2024-12-31"}
    assert {(r["indicator"], r["value"], r["as_of"]) for r in record["results"]} == {
        ("hai-long", 90.0, "2024-12-31"), ("ho-so-truc-tuyen", 50.0, "2024-12-31"), ("sipas", 80.0, "2024-12-31")}
    catalogue = json.loads((site / "du-lieu-mo" / "index.json").read_text(encoding="utf-8"))
    assert "hai-long" in {i["code"] for i in catalogue["indicators"]}
    text = (site / "du-lieu-mo" / "chi-tieu-va-ket-qua.csv").read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    targets = [r for r in rows if r["loai"] == "chi-tieu" and "kiểm thử" in r["van_ban"]]
    assert [(r["ma_chi_tieu"], r["gia_tri"], r["tinh_trang"]) for r in targets] == [
        ("hai-long", "90", "dat"), ("ho-so-truc-tuyen", "50", "chua-dat"), ("so-hoa-ket-qua", "80", "chua-co-so-lieu"),
        ("hai-long", "95", "chua-den-han"), ("par-index-hang", "5", "dat")]
    results = [r for r in rows if r["loai"] == "ket-qua"]
    assert [(r["ma_chi_tieu"], r["gia_tri"], r["tinh_den"]) for r in rows if r["loai"] == "chi-so"] == [
        ("par-index", "85.2", "2024-12-31"), ("par-index-hang", "4", "2024-12-31")]
    assert len(results) == 5 and {r["ma_dia_phuong"] for r in results} == {"003"}
    assert any(r["tai_lieu_kiem_chung"] == "https://example.gov.vn/bao-cao-kiem-thu.pdf" for r in results)
    # the seed plans' targets are there too, with their codes
    assert {r["ma_chi_tieu"] for r in rows if r["dia_phuong"] == "Huyện Bình Lục"} == {"hai-long"}


def test_index_file_is_shown_with_its_source(site):
    dash = page(site, "chi-tieu")
    rows = [cells(tr) for tr in dash.select("section[aria-labelledby=chi-so] tbody tr")]
    assert rows == [["Quận Tây Hồ", "Chỉ số cải cách hành chính (PAR Index) 2024", "85,2%", "4/30",
                     "“Quận Tây Hồ đạt 85,2%, xếp thứ 4/30 (dữ liệu kiểm thử)” · Nguồn"]]
    assert dash.select_one("#chi-so-par-index-2024 a[href='https://example.gov.vn/du-lieu-kiem-thu-par-index-2024']")


def test_search_offers_and_labels_reports(site):
    search = page(site, "tim-kiem")
    assert "bao-cao" in [o["value"] for o in search.select("#search-type option")]
    assert search.select_one("#search-app")["data-type-report"] == "Báo cáo"


def test_locality_page_shows_its_index_values(site):
    unit_page = page(site, "dia-phuong/quan-tay-ho")
    items = unit_page.select("section[aria-labelledby=unit-index-title] li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Chỉ số cải cách hành chính (PAR Index) 2024 : 85,2% (Xếp hạng 4/30)"]
    assert items[0].a["href"] == "/chi-tieu/#chi-so-par-index-2024"


def test_bad_index_file_is_refused(bad_project):
    path = bad_project / "content" / "chi-so" / "par-index-2024.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('score: "85,2"', 'score: "185"').replace("index: par-index", "index: par"),
                    encoding="utf-8")
    try:
        proc = run_cchc("check", "content", cwd=bad_project, env=NOW)
        assert proc.returncode == 1
        assert [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")] == [
            "LỖI content/chi-so/par-index-2024.yaml:2: trường “index”: “par” không phải chỉ số đã biết; dùng "
            "par-index hoặc sipas",
            "LỖI content/chi-so/par-index-2024.yaml:8: trường “results[0].score” (Kết quả): 185 phải từ 0 đến 100"]
    finally:
        path.write_text(original, encoding="utf-8")


# Bad input: a clear Vietnamese error at file:line:field, nothing published -----------------------

R = "content/bao-cao/bao-cao-kiem-thu-nam-2024.md"
BAD = [
    ("percent-over-100", '    value: "90"\n', '    value: "120"\n',
     f"LỖI {R}:18: trường “results[0].value” (Kết quả): 120% không phải một tỷ lệ phần trăm (phải từ 0 đến 100)"),
    ("percent-below-0", '    value: "90"\n', '    value: "-1"\n',
     f"LỖI {R}:18: trường “results[0].value” (Kết quả): -1% không phải một tỷ lệ phần trăm (phải từ 0 đến 100)"),
    ("after-build-date", '    value: "90"\n', '    value: "90"\n    as_of: 15/06/2026\n',
     f"LỖI {R}:19: trường “results[0].as_of” (Kết quả): kết quả tính đến 15/06/2026, sau ngày hôm nay "
     "(01/03/2026): chưa thể có số liệu này; sửa ngày hoặc kỳ (as_of) cho đúng"),
    ("unknown-plan", "plans: [ke-hoach-kiem-thu-chi-tieu]", "plans: [ke-hoach-kiem-thu-chi-tieux]",
     f"LỖI {R}:15: trường “plans” (Kế hoạch liên quan): không tìm thấy bài “ke-hoach-kiem-thu-chi-tieux” loại Kế "
     "hoạch trong content/; có phải “ke-hoach-kiem-thu-chi-tieu”?"),
    ("not-a-period", "report_period: năm 2024", "report_period: quý V/2024",
     f"LỖI {R}:12: trường “report_period” (Kỳ báo cáo): “quý V/2024” không phải một kỳ báo cáo (quý, 6 tháng, 9 "
     "tháng hoặc năm); viết như “quý I/2025”, “6 tháng đầu năm 2025”, “6 tháng cuối năm 2025”, “9 tháng đầu năm "
     "2025”, “năm 2025”"),
    ("same-result-twice", "  - indicator: sipas\n", "  - indicator: hai-long\n",
     f"LỖI {R}:24: trường “results[2]” (Kết quả): kết quả chỉ tiêu hai-long tính đến năm 2024 đã ghi ở results[0]; "
     "xóa mục trùng"),
    ("unknown-indicator", "  - indicator: sipas\n", "  - indicator: sipa\n",
     f"LỖI {R}:24: trường “results[2].indicator” (Kết quả): “sipa” không có trong danh mục chỉ tiêu; có phải: "
     "sipas? (các mã hợp lệ: hai-long, sipas, par-index, par-index-hang, ho-so-truc-tuyen, dvc-toan-trinh, "
     "ho-so-dien-tu, so-hoa-ket-qua, ho-so-dung-han, tthc-don-gian-hoa, tthc-rut-ngan; danh mục ở "
     "docs/staff-guide.md, mục Báo cáo kết quả)"),
]


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory):
    return _project(tmp_path_factory.mktemp("results-bad"))


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_report_is_refused_at_file_line_field(bad_project, case):
    _, old, new, expected = case
    path = bad_project / R
    original = (FIXTURES / "bao-cao" / "bao-cao-kiem-thu-nam-2024.md").read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        proc = run_cchc("check", "content", cwd=bad_project, env=NOW)
        assert proc.returncode == 1
        assert [l for l in proc.stderr.splitlines() if l.startswith("LỖI ")] == [expected], proc.stderr
    finally:
        path.write_text(original, encoding="utf-8")


def test_result_outside_the_plans_targets_is_a_suggestion(bad_project):
    proc = run_cchc("check", "content", "--verbose", cwd=bad_project, env=NOW)
    assert proc.returncode == 0, proc.stderr
    assert (f"GỢI Ý {R}:24: kết quả chỉ tiêu sipas không ứng với chỉ tiêu nào của kế hoạch "
            "ke-hoach-kiem-thu-chi-tieu: vẫn được đăng; nếu kế hoạch có chỉ tiêu này, thêm “indicator: sipas” vào "
            "chỉ tiêu đó") in proc.stdout.splitlines()


def test_new_pages_are_valid_html(site, node_modules):
    """The dashboard, a plan with results and a report pass the Nu HTML checker."""
    from conftest import nu_check

    pages = [site / "chi-tieu" / "index.html", site / PLAN / "index.html", site / YEAR_REPORT / "index.html"]
    messages, code = nu_check(node_modules, pages)
    assert code == 0 and messages == [], json.dumps(messages, ensure_ascii=False, indent=1)


def test_benchmark_corpus_has_reports_on_its_plans(tmp_path):
    """`make bench-build` corpora (bench/corpus.py) hold reports with results on their plans'
    targets, so the build benchmark makes report pages and the /chi-tieu/ charts too."""
    from bench.corpus import generate

    proj = make_project(tmp_path)
    generate(60, proj / "content")
    reports = sorted((proj / "content" / "bao-cao").glob("*.md"))
    assert len(reports) == 6  # one post in ten
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proj / "output"
    report = page(out, f"bao-cao/{reports[0].stem}")
    assert report.select("table[aria-labelledby=results-title] tbody tr")
    dash = page(out, "chi-tieu")
    statuses = [td.get_text(strip=True) for td in dash.select("td[data-label='Tình trạng']")]
    assert any(s in ("Đạt", "Chưa đạt") for s in statuses), statuses  # results met their targets
    # the peer's copy (plain Pelican metadata) carries no nested lists it could not read
    generate(60, tmp_path / "peer", fmt="pelican")
    text = next((tmp_path / "peer" / "bao-cao").glob("*.md")).read_text(encoding="utf-8")
    assert "results" not in text.split("\n\n", 1)[0] and "type: bao-cao" in text
