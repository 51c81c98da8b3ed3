"""The theme's templates take what they show as parameters (issue 32): every macro of the
partials and of macros.html renders alone, with explicit arguments, in an environment that holds
only what the plugins register (cchc_theme's catalogue, helpers and filters, cchc_documents'
doc_url). A macro reading a page variable (lang, T, page, article, output_file, SITEURL…) fails
here, and no template includes another or imports one "with context"."""

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader, Undefined, UndefinedError, nodes
from jinja2.utils import missing

import cchc_documents
import cchc_theme
from cchc.core.dates import UNKNOWN_DATE
from cchc.core.sitepaths import section_urls

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "theme"
TEMPLATES = THEME / "templates"
TZ = dt.timezone(dt.timedelta(hours=7))

ORG = {
    "is_example": True, "parent": "UBND tỉnh Mẫu", "parent_en": "People's Committee of Example",
    "name": "Sở Nội vụ tỉnh Mẫu", "name_en": "Department of Home Affairs", "managing_unit": "Phòng CCHC",
    "managing_unit_en": "Reform Division", "address": "Số 1 đường Mẫu", "address_en": "",
    "phone": "0123 456 789", "email": "lienhe@example.org", "logo": "",
}
LISTING_URLS = {"AREAS_URL": "linh-vuc/", "AREA_URL": "linh-vuc/{slug}/", "LOCALITIES_URL": "dia-phuong/",
                "YEARS_URL": "nam/"}
SITEURL = "https://cchc.example.gov.vn"


class NotAParameter(Undefined):
    """A name that is neither a parameter, a local nor a plugin global fails at once (Pelican's
    own environment would print it as ""); a missing attribute of an argument stays lenient, as
    in Pelican (``plan.doc_number_note`` of a plan without one)."""

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
        if obj is missing:
            raise UndefinedError(hint or f"{name!r} is not a parameter of the macro (read from the page's context?)")
        super().__init__(hint, obj, name, exc)


@pytest.fixture(scope="module")
def env():
    """The theme's loader and Pelican's options (pelicanconf.JINJA_ENVIRONMENT), with the globals
    and filters the plugins add at generator_init, and nothing of a page's context."""
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), trim_blocks=True, lstrip_blocks=True,
                              autoescape=True, undefined=NotAParameter)
    generator = SimpleNamespace(env=environment, settings={
        "THEME": str(THEME), "THEME_STATIC_DIR": "theme", "PATH": str(ROOT / "content"), "DEFAULT_LANG": "vi",
        "ORGANISATION": ORG}, context={})  # the build's context: a development build's, no asset names
    cchc_theme.add_globals(generator)
    cchc_documents.add_filters(generator)
    return environment


def macro(env, template, name):
    """A macro of *template*, imported without context (as base.html imports it)."""
    return getattr(env.get_template(template).module, name)


def html(markup):
    return BeautifulSoup(str(markup), "html.parser")


class UIText(dict):
    """The catalogue of one language, its entries also readable as attributes (as in Jinja)."""

    __getattr__ = dict.__getitem__


def T(env, lang="vi"):
    return UIText(env.globals["UI"][lang])


def post(**fields):
    base = {"title": "Tin mẫu", "url": "tin-tuc/tin-mau/", "kind": "tin-tuc", "slug": "tin-mau",
            "date": dt.datetime(2024, 3, 5, tzinfo=TZ), "date_status": "", "locality": "Quận Tây Hồ",
            "doc_number": "", "summary_text": "Tóm tắt."}
    return SimpleNamespace(**{**base, **fields})


# --- the partials ----------------------------------------------------------------------------

# What standing_pages(pages) gives for the repository's content/pages/.
STANDING = {"about": {"vi": "gioi-thieu/", "en": "en/about/"}, "contact": {"vi": "lien-he/", "en": "en/contact/"},
            "accessibility": {"vi": "tuyen-bo-tro-nang/"}}

def render_header(env, **given):
    args = {"T": T(env, given.get("lang", "vi")), "lang": "vi", "siteurl": SITEURL, "org": ORG,
            "logo": "theme/images/logo.svg", "here": "", "counterpart": None, "urls": section_urls(),
            "standing": STANDING, "listing_urls": LISTING_URLS}
    return html(macro(env, "partials/header.html", "site_header")(**{**args, **given}))


def test_header_vietnamese(env):
    doc = render_header(env, here="tin-tuc/index.html")
    assert doc.select_one(".c-brand")["href"] == f"{SITEURL}/"
    assert doc.select_one(".c-brand__logo")["src"] == f"{SITEURL}/theme/images/logo.svg"
    assert [s.get_text() for s in doc.select(".c-brand__text > span")] == [
        ORG["parent"], ORG["name"], T(env).site_name]
    assert doc.select_one("form.c-search")["action"] == f"{SITEURL}/tim-kiem/"
    links = [(a.get_text(), a["href"]) for a in doc.select(".c-nav__link")]
    assert links[3] == (T(env).nav_areas, f"{SITEURL}/linh-vuc/")
    assert [a.get_text() for a in doc.select('.c-nav [aria-current="page"]')] == [T(env).nav_news]
    assert links[-1] == ("English", f"{SITEURL}/en/about/")  # no counterpart: the English home


def test_header_menu_has_documents_targets_and_follow_when_their_plugins_are_on(env):
    urls = {"DOCUMENTS_URL": "van-ban/", "TARGETS_URL": "chi-tieu/"}
    nav = render_header(env, document_urls=urls, feeds_page_url="theo-doi/").select(".c-nav a")
    links = {a.get_text(): a["href"] for a in nav}
    assert links["Văn bản"] == f"{SITEURL}/van-ban/" and links["Chỉ tiêu"] == f"{SITEURL}/chi-tieu/"
    assert links["Theo dõi"] == f"{SITEURL}/theo-doi/"
    assert "Văn bản" not in {a.get_text() for a in render_header(env).select(".c-nav a")}


def test_header_english_links_its_counterpart(env):
    doc = render_header(env, lang="en", here="en/about/index.html",
                        counterpart=SimpleNamespace(url="gioi-thieu/", lang="vi"))
    assert [s.get_text() for s in doc.select(".c-brand__text > span")][:2] == [ORG["parent_en"], ORG["name_en"]]
    lang_link = doc.select_one(".c-nav__lang")
    assert (lang_link["href"], lang_link["hreflang"]) == (f"{SITEURL}/gioi-thieu/", "vi")
    assert doc.select_one('.c-nav [aria-current="page"]')["href"] == f"{SITEURL}/en/about/"


def render_footer(env, **given):
    args = {"T": T(env, given.get("lang", "vi")), "lang": "vi", "siteurl": SITEURL, "org": ORG, "counterpart": None,
            "urls": section_urls(), "standing": STANDING, "listing_urls": LISTING_URLS, "feeds_page_url": None, "document_urls": None, "opendata_url": None}
    return html(macro(env, "partials/footer.html", "site_footer")(**{**args, **given}))


def test_footer_links_follow_the_plugins_on(env):
    bare = render_footer(env)
    hrefs = [a["href"] for a in bare.select(".l-footer__links a")]
    assert hrefs == [f"{SITEURL}/lien-he/", f"{SITEURL}/tuyen-bo-tro-nang/", f"{SITEURL}/nam/",
                     f"{SITEURL}/tu-khoa/", f"{SITEURL}/en/about/"]
    assert bare.select_one(".l-footer dl.c-facts")  # who runs the portal
    full = render_footer(env, feeds_page_url="theo-doi/", opendata_url="du-lieu-mo/",
                         document_urls={"DOCUMENTS_URL": "van-ban/", "TARGETS_URL": "chi-tieu/"},
                         counterpart=SimpleNamespace(url="en/contact/", lang="en"))
    hrefs = [a["href"] for a in full.select(".l-footer__links a")]
    assert hrefs[4:] == [f"{SITEURL}/theo-doi/", f"{SITEURL}/van-ban/", f"{SITEURL}/chi-tieu/",
                         f"{SITEURL}/du-lieu-mo/", f"{SITEURL}/en/contact/"]


def test_footer_in_english_has_no_english_link(env):
    doc = render_footer(env, lang="en", counterpart=SimpleNamespace(url="lien-he/", lang="vi"))
    hrefs = [a["href"] for a in doc.select(".l-footer__links a")]
    assert hrefs[0] == f"{SITEURL}/en/contact/" and f"{SITEURL}/lien-he/" not in hrefs
    assert doc.select_one("dd").get_text().startswith(ORG["name_en"])


def test_org_details(env):
    org_details = macro(env, "partials/org_details.html", "org_details")
    doc = html(org_details(ORG, "en", T(env, "en")))
    assert doc.select_one(".c-badge").get_text() == T(env, "en").example_marker
    pairs = {dt_.get_text(): dt_.find_next_sibling("dd") for dt_ in doc.select("dt")}
    ui = T(env, "en")
    assert pairs[ui.footer_managed_by].get_text() == "Department of Home Affairs, Reform Division"
    assert pairs[ui.footer_address].get_text() == ORG["address"]  # no English address: the Vietnamese one
    assert pairs[ui.footer_phone].a["href"] == "tel:0123456789"
    plain = html(org_details({"name": "Sở A"}, "vi", T(env)))
    assert not plain.select(".c-badge")
    assert [dd.get_text() for dd in plain.select("dd")] == ["Sở A"] + [T(env).not_given] * 3


def test_print_header(env):
    print_header = macro(env, "partials/print_header.html", "print_header")
    doc = html(print_header(T(env), "vi", SITEURL, ORG, "tin-tuc/"))
    assert doc.select_one(".c-print-header__agency").get_text() == ORG["name"]
    assert doc.select_one(".c-print-header__url").get_text() == f"{T(env).print_address} {SITEURL}/tin-tuc/"
    assert html(print_header(T(env), "vi", "", ORG, "")).select_one(".c-print-header__url").get_text().endswith(" /")
    assert not html(print_header(T(env), "vi", SITEURL, ORG, None)).select(".c-print-header__url")  # the 404 page


def test_social_meta(env):
    social_meta = macro(env, "partials/social_meta.html", "social_meta")
    image = {"path": "images/a.png", "alt": "Ảnh", "width": 1200, "height": 630}
    article = post(title="Tin <em>mới</em>")
    doc = html(social_meta(SITEURL, "Cổng", "Phụ đề", "vi", "tin-tuc/tin-mau/", image, article, "ignored"))
    meta = {m["property"]: m["content"] for m in doc.find_all("meta")}
    assert doc.find("link", rel="canonical")["href"] == f"{SITEURL}/tin-tuc/tin-mau/"
    assert meta["og:type"] == "article" and meta["og:title"] == "Tin mới"
    assert meta["og:image"] == f"{SITEURL}/images/a.png" and meta["og:image:width"] == "1200"
    assert meta["article:published_time"] == "2024-03-05T00:00:00+07:00"
    page = html(social_meta("", "Cổng", "Phụ đề", "en", "en/about/", dict(image, width=None), None,
                            "About | Cổng"))
    meta = {m["property"]: m["content"] for m in page.find_all("meta")}
    assert not page.find("link", rel="canonical")  # a development build: no absolute SITEURL
    assert (meta["og:type"], meta["og:title"], meta["og:locale"]) == ("website", "About | Cổng", "en_US")
    assert "og:image:width" not in meta


def test_feed_links(env):
    feed_links = macro(env, "partials/feed_links.html", "feed_links")
    site = SimpleNamespace(title="Tất cả", links=[("rss", "application/rss+xml", "https://x/feeds/all.rss.xml")])
    own = SimpleNamespace(title="Tin tức", links=[("atom", "application/atom+xml", "https://x/feeds/tin.atom.xml")])
    links = html(feed_links([site, own], T(env))).find_all("link")
    assert [(a["href"], a["title"]) for a in links] == [
        ("https://x/feeds/all.rss.xml", f"Tất cả ({T(env).feed_format_rss})"),
        ("https://x/feeds/tin.atom.xml", f"Tin tức ({T(env).feed_format_atom})")]
    assert str(feed_links([site, None], T(env))).count("<link") == 1
    assert str(feed_links([], T(env))) == ""


# --- macros.html -----------------------------------------------------------------------------

def m(env, name):
    return macro(env, "macros.html", name)


def test_breadcrumbs(env):
    doc = html(m(env, "breadcrumbs")([("Kế hoạch", "ke-hoach/"), ("Kế hoạch 1", None)], T(env), SITEURL))
    nav = doc.select_one("nav.c-breadcrumbs")
    assert nav["aria-label"] == T(env).breadcrumb_label
    assert [(a.get_text(), a["href"]) for a in nav.select("a")] == [
        (T(env).nav_home, f"{SITEURL}/"), ("Kế hoạch", f"{SITEURL}/ke-hoach/")]
    assert nav.select_one('.c-breadcrumbs__current [aria-current="page"]').get_text() == "Kế hoạch 1"


def test_post_list_and_its_pieces(env):
    items = [post(), post(title="Kế hoạch", url="ke-hoach/kh/", kind="ke-hoach", date_status="nghi-van",
                          doc_number="12/KH-UBND"),
             post(title="Không ngày", date_status="khong-ro", date=UNKNOWN_DATE, locality="")]
    doc = html(m(env, "post_list")(items, T(env), SITEURL, heading_level=3))
    assert [a["href"] for a in doc.select("h3.c-card__title a")] == [
        f"{SITEURL}/tin-tuc/tin-mau/", f"{SITEURL}/ke-hoach/kh/", f"{SITEURL}/tin-tuc/tin-mau/"]
    assert doc.select_one(".c-badge--ke-hoach").get_text() == T(env)["type_ke-hoach"]
    assert doc.select("time")[0].get_text() == "ngày 05 tháng 3 năm 2024"
    assert doc.select_one(".c-badge--warn").get_text() == T(env).date_doubtful_badge
    assert doc.select_one(".c-meta__unknown").get_text() == T(env).date_unknown
    assert html(m(env, "post_list")([], T(env), SITEURL)).get_text() == T(env).no_posts
    assert html(m(env, "type_badge")(post(), T(env))).get_text() == T(env)["type_tin-tuc"]
    assert html(m(env, "post_date")(post(date_status="khong-ro", date=UNKNOWN_DATE), T(env))).get_text() == T(env).date_unknown


def test_post_list_names_the_unit_a_post_had(env):
    items = [post(), post(title="Tin 2", url="tin-tuc/tin-2/", locality="Xã Mới")]
    then = {"tin-tuc/tin-mau/": "Quận Tây Hồ"}
    doc = html(m(env, "post_list")(items, T(env), SITEURL, then=then, reform_date="01/07/2025"))
    metas = doc.select(".c-meta")
    assert metas[0].select_one(".c-then").get_text() == T(env).then_name.format(date="01/07/2025", name="Quận Tây Hồ")
    assert not metas[1].select(".c-then") and metas[1].get_text().endswith("Xã Mới")


def test_unit_banner(env):
    ended = SimpleNamespace(name="Quận A", unit=SimpleNamespace(until=dt.date(2025, 6, 30)),
                            successors=[(SimpleNamespace(url="dia-phuong/x/", name="Phường X"), True)])
    doc = html(m(env, "unit_banner")(ended, T(env), SITEURL, "01/07/2025"))
    assert doc.select_one("#unit-ended").get_text() == T(env).unit_ended_title
    assert doc.select("p")[0].get_text() == T(env).unit_ended_text.format(
        name="Quận A", until="30/06/2025", since="01/07/2025")
    assert doc.select_one("li a")["href"] == f"{SITEURL}/dia-phuong/x/"
    assert T(env).unit_part in doc.select_one("li").get_text()
    current = SimpleNamespace(name="Phường X", unit=SimpleNamespace(until=None), successors=[])
    assert str(m(env, "unit_banner")(current, T(env), SITEURL, "01/07/2025")).strip() == ""


def test_area_links(env):
    doc = html(m(env, "area_links")(["the-che"], SITEURL, LISTING_URLS))
    assert [(a.get_text(), a["href"]) for a in doc.select("a")] == [
        (env.globals["AREAS"]["the-che"], f"{SITEURL}/linh-vuc/the-che/")]


def test_notices(env):
    notice = html(m(env, "date_notice")(post(date_status="nghi-van", date_note="Ngày trong bài khác."), T(env)))
    assert notice.select_one("aside")["aria-labelledby"] == "date-note-tin-mau"
    assert notice.select_one("h2").get_text() == T(env).date_doubtful_title
    assert str(m(env, "date_notice")(post(), T(env))).strip() == ""
    banner = html(m(env, "history_banner")("Văn bản cũ.", T(env), id="doc-history"))
    assert banner.select_one("h2")["id"] == "doc-history" and banner.p.get_text() == "Văn bản cũ."
    assert str(m(env, "history_banner")("", T(env))).strip() == ""


def test_pagination(env):
    pages = SimpleNamespace(num_pages=5,
                            page=lambda i: SimpleNamespace(url="tin-tuc/" if i == 1 else f"tin-tuc/trang/{i}/"))
    here = SimpleNamespace(number=2, has_previous=lambda: True, has_next=lambda: True)
    doc = html(m(env, "pagination")(pages, here, T(env), SITEURL))
    assert doc.select_one("nav")["aria-label"] == T(env).pagination_label
    assert [a.get_text() for a in doc.select("a")] == [T(env).page_prev, "1", "2", "3", "5", T(env).page_next]
    assert doc.select_one('[aria-current="page"]')["href"] == f"{SITEURL}/tin-tuc/trang/2/"
    assert str(m(env, "pagination")(SimpleNamespace(num_pages=1), here, T(env), SITEURL)).strip() == ""


def test_document_table_and_links(env):
    doc = SimpleNamespace(url="van-ban/12-kh-ubnd/", text="12/KH-UBND", doc_type="Kế hoạch", title="",
                          issuer="UBND", issue_date=dt.datetime(2024, 1, 2, tzinfo=TZ), record=None,
                          status=SimpleNamespace(code="bi-thay-the"))
    table = html(m(env, "document_table")([doc], "Kế hoạch", T(env), SITEURL))
    assert table.select_one("caption").get_text() == "Kế hoạch"
    assert table.select_one("th a")["href"] == f"{SITEURL}/van-ban/12-kh-ubnd/"
    cells = {td["data-label"]: td.get_text() for td in table.select("td")}
    assert cells[T(env).doc_title] == T(env).unknown and cells[T(env).issue_date] == "02/01/2024"
    assert cells[T(env).validity] == T(env).validity_bi_thay_the  # issue 29: the list says it too
    record = SimpleNamespace(attachment={"path": "files/a.pdf", "title": "a.pdf", "label": "PDF, 1 MB"},
                             official_url="https://vanban.example/12", validity="con-hieu-luc")
    links = html("<dl>" + m(env, "document_links")(record, T(env), SITEURL) + "</dl>")
    assert links.select_one("a.c-file")["href"] == f"{SITEURL}/files/a.pdf"
    assert links.select_one('a[rel="external"]')["href"] == "https://vanban.example/12"
    assert links.select_one(".c-status--con-hieu-luc").get_text() == T(env).validity_con_hieu_luc
    assert html(m(env, "validity")("het-hieu-luc", T(env))).get_text() == T(env).validity_het_hieu_luc
    assert str(m(env, "attachment")(None, "Tệp", SITEURL)).strip() == ""


def test_validity_status_and_relations(env):
    from cchc.core import parse_doc_number
    from cchc.core.validity import Relation, Status

    day = dt.datetime(2026, 7, 1, tzinfo=TZ)
    repeal = Relation("repealed_by", parse_doc_number("224/2026/NĐ-CP"), day)
    ended = html(m(env, "validity_status")(Status("het-hieu-luc", day, repeal), T(env), SITEURL))
    assert ended.get_text(" ", strip=True).startswith("Hết hiệu lực từ 01/07/2026")
    assert ended.a["href"] == f"{SITEURL}/van-ban/224-2026-nd-cp/"
    replaced = Status("bi-thay-the", day, Relation("replaced_by", parse_doc_number("5/2026/TT-BNV"), day))
    assert html(m(env, "validity_status")(replaced, T(env), SITEURL)).get_text(" ", strip=True).startswith("Bị thay thế bởi 5/2026/TT-BNV")
    assert html(m(env, "validity_status")(Status("chua-ro"), T(env), SITEURL)).get_text(strip=True) == "Chưa rõ hiệu lực"
    doc = SimpleNamespace(status=Status("het-hieu-luc", day, repeal), doc_type="Nghị định", text="42/2022/NĐ-CP",
                          url="van-ban/42-2022-nd-cp/")
    assert html(m(env, "document_status")(doc, T(env), SITEURL)).select_one("#document-status")
    assert html(m(env, "doc_ref")(doc, T(env), SITEURL)).a["href"] == f"{SITEURL}/van-ban/42-2022-nd-cp/"
    assert html(m(env, "ended_mark")(doc, T(env))).get_text(strip=True) == T(env).validity_not_in_force
    assert str(m(env, "ended_mark")(None, T(env))).strip() == ""
    in_force = SimpleNamespace(status=Status("con-hieu-luc"))
    assert str(m(env, "document_status")(in_force, T(env), SITEURL)).strip() == ""


def test_plan_facts(env):
    plan = post(kind="ke-hoach", doc_type="Kế hoạch", doc_number="12/KH-UBND", issuer="UBND quận",
                issue_date=None, issue_date_note="", period="2021-2025", lead_unit="", areas=["the-che"],
                attachment=None, official_url="", validity="", implemented_by=[],
                legal_bases=[{"doc_type": "Nghị quyết", "number": "76/NQ-CP", "reference": "", "date": None,
                              "issuer": "Chính phủ", "title": "ban hành Chương trình"}],
                targets=[{"measure": "Hồ sơ trực tuyến", "note": "", "year": 2025, "value": 80, "unit": "%",
                          "comparator": ">="}], target_progress=[SimpleNamespace(status="chua-den-han", result=None)],
                report_objs=[post(kind="bao-cao", url="bao-cao/bc/", title="Báo cáo quý I/2025",
                                  report_period={"label": "quý I/2025"}, doc_number="5/BC-UBND")])
    doc = html(m(env, "plan_facts")(plan, T(env), SITEURL, LISTING_URLS))
    pairs = {dt_.get_text(): dt_.find_next_sibling("dd") for dt_ in doc.select("dt")}
    assert pairs[T(env).doc_number].a["href"] == f"{SITEURL}/van-ban/12-kh-ubnd/"
    assert pairs[T(env).areas].a["href"] == f"{SITEURL}/linh-vuc/the-che/"
    assert pairs[T(env).issue_date].get_text() == T(env).not_given
    assert doc.select_one(".c-bases a")["href"] == f"{SITEURL}/van-ban/76-nq-cp/"
    assert doc.select_one("#targets-title").get_text() == T(env).targets
    assert doc.select_one("td .c-value").get_text() == html(m(env, "target_value")(plan.targets[0])).get_text()
    row = [td.get_text(" ", strip=True) for td in doc.select("table[aria-labelledby=targets-title] td")]
    assert row[-2:] == [T(env).result_none, T(env)["status_chua-den-han"]]
    assert doc.select_one("ol.c-timeline a")["href"] == f"{SITEURL}/bao-cao/bc/"


def test_status_and_result(env):
    assert html(m(env, "status_text")("dat", T(env))).span.get_text() == T(env).status_dat
    report = post(kind="bao-cao", url="bao-cao/bc/", doc_number="5/BC-UBND")
    row = SimpleNamespace(report=report, result={"value": 96.6, "unit": "%", "as_of_label": "năm 2024"})
    cell = html(m(env, "result_cell")(row, T(env), SITEURL))
    assert cell.get_text().strip() == "96,6% tính đến năm 2024 (theo 5/BC-UBND)"
    assert cell.a["href"] == f"{SITEURL}/bao-cao/bc/"
    assert html(m(env, "result_cell")(None, T(env), SITEURL)).get_text() == T(env).result_none


def test_report_facts(env):
    plan = post(kind="ke-hoach", url="ke-hoach/kh/", title="Kế hoạch")
    report = post(kind="bao-cao", doc_number="", doc_number_note="Không nêu.", issue_date=None, issue_date_note="",
                  reporting_unit="UBND quận", report_period={"label": "năm 2024"}, plan_objs=[plan],
                  result_rows=[SimpleNamespace(result={"indicator": "hai-long", "value": 90.0, "unit": "%",
                                                       "as_of_label": "năm 2024", "quote": "đạt 90%",
                                                       "evidence": "files/bc.pdf"})])
    doc = html(m(env, "report_facts")(report, T(env), SITEURL))
    assert f"{SITEURL}/ke-hoach/kh/#targets-title" in [a["href"] for a in doc.select(".c-facts a")]
    assert doc.select_one("tbody th").get_text().startswith("Mức độ hài lòng")
    assert doc.select_one("tbody a")["href"] == f"{SITEURL}/files/bc.pdf"


def test_updated_and_history(env):
    changes = [{"date": dt.datetime(2024, 6, 20, tzinfo=TZ), "note": "Sửa số liệu."}]
    updated = html(m(env, "last_updated")(post(changes=changes, modified=None), T(env)))
    assert updated.select_one("time")["datetime"] == "2024-06-20T00:00:00+07:00"
    assert updated.select_one('a[href="#page-history"]').get_text() == T(env).see_history
    # no changes: the publication date (issue 29); no date at all: said so
    plain = html(m(env, "last_updated")(post(changes=[], modified=None), T(env)))
    assert plain.select_one("time")["datetime"] == "2024-03-05T00:00:00+07:00" and not plain.a
    unknown = html(m(env, "last_updated")(post(changes=[], modified=None, date_status="khong-ro", date=UNKNOWN_DATE), T(env)))
    assert unknown.get_text(strip=True) == T(env).updated_unknown
    history = html(m(env, "change_history")(changes, T(env)))
    assert history.select_one("h2").get_text() == T(env).page_history
    assert [dd.get_text() for dd in history.select("dd")] == ["Sửa số liệu."]


def test_bar_chart(env):
    chart = SimpleNamespace(width=600, height=60, left=8, bars=[
        SimpleNamespace(y=0, width=120.0, locality="Quận A", year=2025, value_text="≥ 80%", status="dat",
                        result_width=130.0, result_text="85%")])
    svg = html(m(env, "bar_chart")(chart, "Biểu đồ", T(env))).svg
    assert svg["aria-label"] == "Biểu đồ" and svg.rect["width"] == "120.0"
    assert "Kết quả 85% · Đạt" in [t.get_text() for t in svg.find_all("text")]


def test_trend_chart_and_table(env):
    """A unit's results over time (cchc_documents.trends / trend_layout): what the chart and its
    table say, with the layout's own geometry."""
    target = {"comparator": ">=", "value": 90.0, "unit": "%", "year": 2025}
    points = [SimpleNamespace(as_of=dt.date(2024, 6, 30), report=post(url="bao-cao/a/", doc_number="5/BC-UBND",
                                                                      title="A"),
                              result={"value": 85.0, "as_of_label": "6 tháng đầu năm 2024"}),
              SimpleNamespace(as_of=dt.date(2024, 12, 31), report=post(url="bao-cao/b/", doc_number="", title="Báo cáo B"),
                              result={"value": 92.5, "as_of_label": "năm 2024"})]
    trend = cchc_documents.Trend("Mức độ hài lòng", "Quận A", "%", [target], points)
    chart = cchc_documents.trend_layout(trend)
    svg = html(m(env, "trend_chart")(trend, chart, "t1", T(env))).svg
    assert svg["aria-labelledby"] == "t1-title t1-desc" and svg.title.get_text() == "Mức độ hài lòng, Quận A: kết quả qua các kỳ"
    assert svg.desc.get_text() == ("Kết quả: 85% tính đến 6 tháng đầu năm 2024; 92,5% tính đến năm 2024. "
                                   "Chỉ tiêu: ≥ 90% đến năm 2025. Bảng bên cạnh có cùng số liệu.")
    assert [t.get_text() for t in svg.select(".c-trend__value")] == ["85%", "92,5%"]
    assert [t.get_text() for t in svg.select(".c-trend__date")] == ["06/2024", "12/2024"]
    assert [t.get_text() for t in svg.select(".c-trend__tick")] == ["84%", "86%", "88%", "90%", "92%", "94%"]
    assert svg.select_one(".c-trend__target").get_text() == "Chỉ tiêu ≥ 90% (2025)"
    table = html(m(env, "trend_table")(trend, T(env), SITEURL))
    assert [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")] == [
        ["6 tháng đầu năm 2024", "85%", "5/BC-UBND"], ["năm 2024", "92,5%", "Báo cáo B"]]
    assert table.select("tbody a")[1]["href"] == f"{SITEURL}/bao-cao/b/"
    # The section the plan page and /chi-tieu/ both show: its heading, the chart and the table beside it.
    section = html(m(env, "trend_section")(trend, chart, "t2", "Quận A qua các kỳ", T(env), SITEURL)).section
    assert section["aria-labelledby"] == "t2" and section.h3["id"] == "t2"
    assert section.h3.get_text() == "Quận A qua các kỳ"
    assert section.svg["aria-labelledby"] == "t2-bieu-do-title t2-bieu-do-desc"
    assert section.figure.figcaption.get_text() == T(env).trend_caption
    assert [tr.th.get_text() for tr in section.select("table tbody tr")] == ["6 tháng đầu năm 2024", "năm 2024"]


def test_nice_range_never_mixes_or_overshoots():
    assert cchc_documents.nice_range([85, 95]) == (80, 100, 5)
    assert cchc_documents.nice_range([97, 100], cap=100.0) == (96, 100, 1)  # never past 100%
    assert cchc_documents.nice_range([4, 5]) == (3, 6, 1)  # ranks: whole steps
    assert cchc_documents.nice_range([0, 1])[0] == 0  # never below 0


TESTED = {
    "partials/header.html": {"site_header"}, "partials/footer.html": {"site_footer"},
    "partials/org_details.html": {"org_details"}, "partials/print_header.html": {"print_header"},
    "partials/social_meta.html": {"social_meta"}, "partials/feed_links.html": {"feed_links"},
    "macros.html": {"unit_banner", "post_date", "area_links", "type_badge", "target_value", "date_notice", "history_banner",
                    "bar_chart", "post_list", "breadcrumbs", "pagination", "document_table", "validity",
                    "attachment", "document_links", "plan_facts", "last_updated", "change_history",
                    "status_text", "result_cell", "report_facts", "validity_status", "document_status", "doc_ref",
                    "ended_mark", "trend_chart", "trend_table", "trend_section"},
}


def _parse(env, path):
    return env.parse(path.read_text(encoding="utf-8"), path.name, str(path))


def test_every_partial_and_shared_macro_is_rendered_here(env):
    """A new partial or shared macro comes with its case above; partials hold only macros."""
    found = {}
    for path in [TEMPLATES / "macros.html", *sorted((TEMPLATES / "partials").glob("*.html"))]:
        tree = _parse(env, path)
        found[path.relative_to(TEMPLATES).as_posix()] = {node.name for node in tree.find_all(nodes.Macro)}
        top_output = [n for n in tree.body if isinstance(n, nodes.Output)
                      and any(not isinstance(c, nodes.TemplateData) or c.data.strip() for c in n.nodes)]
        assert not top_output, f"{path.name} writes something outside its macros"
    assert found == TESTED


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_no_include_and_no_import_with_context(env, path):
    """What a template needs from another it gets as a macro's parameters: no include (which
    would read the includer's variables) and no import "with context"."""
    tree = _parse(env, path)
    assert not list(tree.find_all(nodes.Include)), f"{path.name} includes a template"
    imports = list(tree.find_all((nodes.Import, nodes.FromImport)))
    assert not [i.template.value for i in imports if i.with_context], f"{path.name} imports with context"
