"""RSS and Atom feeds (cchc_feeds) as a subscriber's feed reader sees them.

Every test builds real Pelican output from tests/fixtures/feeds (or the seed content) and
parses the files with feedparser and BeautifulSoup.
"""

import calendar
import datetime as dt
import re
import shutil
import unicodedata

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build, html_files, make_project, publish_build

FIXTURE = ROOT / "tests" / "fixtures" / "feeds"
SITEURL = "https://cchc.example.gov.vn"
# Build time for the fixture builds (SOURCE_DATE_EPOCH): 01/06/2025 00:00 +07:00.
BUILD_TIME = int(dt.datetime(2025, 6, 1, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp())
FEED_TYPES = ("application/atom+xml", "application/rss+xml")

ID = {
    "mot-cua": "urn:uuid:0b6f7c1e-3f4a-4c1b-9d2e-5a6b7c8d9e01",
    "binh-luc": "urn:uuid:1c7a8d2f-4a5b-4d2c-8e3f-6b7c8d9e0f12",
    "undated": "urn:uuid:2d8b9e3a-5b6c-4e3d-9f4a-7c8d9e0f1a23",
    "future": "urn:uuid:3e9c0f4b-6c7d-4f4e-8a5b-8d9e0f1a2b34",
    "plan": "urn:uuid:4fa01a5c-7d8e-4a5f-9b6c-9e0f1a2b3c45",
}
# Feed path (without .atom.xml / .rss.xml) → number of entries in the fixture.
EXPECTED = {
    "tat-ca": 6,
    "loai/tin-tuc": 5,
    "loai/ke-hoach": 1,
    "linh-vuc/thu-tuc-hanh-chinh": 3,
    "linh-vuc/chinh-phu-so": 2,
    "linh-vuc/tuyen-truyen": 1,
    "linh-vuc/che-do-cong-vu": 1,
    "linh-vuc/to-chuc-bo-may": 1,
    # Old units keep their feeds; today's province and each commune that took part of an old
    # unit carry its posts too (issue 28: Quận Tây Hồ → six wards of Hà Nội, Huyện Bình Lục → five
    # communes of Ninh Bình, per the registry's conversion).
    "dia-phuong/quan-tay-ho": 3,
    "dia-phuong/huyen-binh-luc": 3,
    "dia-phuong/ha-noi": 3,
    **{f"dia-phuong/ha-noi/{ward}": 3 for ward in ("ba-dinh", "hong-ha", "nghia-do", "phu-thuong", "tay-ho", "xuan-dinh")},
    "dia-phuong/ninh-binh": 3,
    **{f"dia-phuong/ninh-binh/{commune}": 3 for commune in ("binh-an", "binh-giang", "binh-luc", "binh-my", "binh-son")},
}


def publish(tmp_path, content=FIXTURE, epoch=BUILD_TIME, settings="publishconf.py", extra_conf=""):
    """Build *content* like `make publish` (fixed SITEURL and build time); returns output/."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    proj = make_project(tmp_path, content)
    if extra_conf:
        with open(proj / settings, "a", encoding="utf-8") as fh:
            fh.write("\n" + extra_conf + "\n")
    with pytest.MonkeyPatch.context() as mp:
        if epoch is None:
            mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            mp.setenv("SOURCE_DATE_EPOCH", str(epoch))
        proc = publish_build(proj, SITEURL, settings=settings)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (proj / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return proj / "output"


def feed_files(out):
    return sorted((out / "feeds").rglob("*.xml"))


def parse(path):
    return feedparser.parse(path.read_bytes())


def local_file(out, url):
    """The output file a site URL points to (None for another host)."""
    if not url.startswith(SITEURL + "/"):
        return None
    path = url[len(SITEURL) + 1:].split("#", 1)[0].split("?", 1)[0]
    target = out / path
    return target / "index.html" if path == "" or path.endswith("/") else target


def content_urls(entry):
    """Every URL in an entry's full text: links, images and srcset candidates."""
    soup = BeautifulSoup(entry.content[0].value, "html.parser")
    urls = [a["href"] for a in soup.find_all("a", href=True)]
    for img in soup.find_all("img"):
        urls.append(img["src"])
        urls += [c.split()[0] for c in img.get("srcset", "").split(",") if c.strip()]
    return urls


@pytest.fixture(scope="module")
def pub(tmp_path_factory):
    return publish(tmp_path_factory.mktemp("feeds-pub"))


def test_every_listing_has_rss_and_atom_with_expected_counts(pub):
    written = {str(p.relative_to(pub / "feeds")) for p in feed_files(pub)}
    assert written == {f"{k}.{ext}.xml" for k in EXPECTED for ext in ("atom", "rss")}
    for key, count in EXPECTED.items():
        for ext in ("atom", "rss"):
            assert len(parse(pub / "feeds" / f"{key}.{ext}.xml").entries) == count, (key, ext)


def test_feeds_parse_cleanly_in_vietnamese(pub):
    for path in feed_files(pub):
        d = parse(path)
        assert d.bozo == 0, (path, d.get("bozo_exception"))
        assert d.version == ("atom10" if path.name.endswith(".atom.xml") else "rss20")
        assert d.feed.language == "vi"
        self_links = [l.href for l in d.feed.links if l.rel == "self"]
        assert self_links == [f"{SITEURL}/{path.relative_to(pub).as_posix()}"]
        texts = [d.feed.title, d.feed.subtitle] + [e.title for e in d.entries] + [
            e.summary for e in d.entries] + [e.content[0].value for e in d.entries]
        for text in texts:
            assert unicodedata.normalize("NFC", text) == text
    site = parse(pub / "feeds" / "tat-ca.rss.xml")
    assert site.feed.title == "Cổng thông tin cải cách hành chính: tất cả tin bài"
    area = parse(pub / "feeds" / "linh-vuc" / "thu-tuc-hanh-chinh.atom.xml")
    assert "Cải cách thủ tục hành chính" in area.feed.title
    first = site.entries[0]
    assert first.title == "Quận Tây Hồ đẩy mạnh một cửa liên thông"
    assert "Tỷ lệ hồ sơ đúng hạn đạt 98%." in first.content[0].value
    assert first.summary.startswith("Quận Tây Hồ rút ngắn thời gian")
    top = parse(pub / "feeds" / "tat-ca.atom.xml").entries[0]
    assert [t.label for t in top.tags] == [
        "Cải cách thủ tục hành chính", "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"]
    assert [a.name for a in top.authors] == ["Tin: Trần Trung Kiên", "Trung tâm VH-TT&TT Tây Hồ"]


def test_links_and_images_are_absolute_and_exist(pub):
    seen_images = 0
    for path in feed_files(pub):
        d = parse(path)
        for entry in d.entries:
            assert local_file(pub, entry.link).is_file(), entry.link
            for url in content_urls(entry):
                assert url.startswith(SITEURL + "/"), (path.name, entry.title, url)
                target = local_file(pub, url)
                assert target.is_file(), (entry.title, url)
                seen_images += url.endswith(".svg")
    # The fixture's {static} image, root-relative image and srcset candidates all came through.
    assert seen_images >= 4
    raw = (pub / "feeds" / "tat-ca.atom.xml").read_text(encoding="utf-8")
    assert "localhost" not in raw
    assert f"{SITEURL}/tin-tuc/mot-cua-tay-ho/#ket-qua" in raw  # a bare #fragment link


def test_dates_are_in_vietnam_time(pub):
    for path in feed_files(pub):
        raw = path.read_text(encoding="utf-8")
        if path.name.endswith(".atom.xml"):
            stamps = re.findall(r"<(?:updated|published)>([^<]+)<", raw)
            assert stamps and all(s.endswith("+07:00") for s in stamps), path
        else:
            stamps = re.findall(r"<(?:pubDate|lastBuildDate)>([^<]+)<", raw)
            assert stamps and all(s.endswith(" +0700") for s in stamps), path
    first = parse(pub / "feeds" / "tat-ca.rss.xml").entries[0]
    # 10/03/2024 08:30 in Hà Nội is 01:30 UTC.
    assert calendar.timegm(first.published_parsed) == calendar.timegm((2024, 3, 10, 1, 30, 0))


def test_rss_and_atom_of_a_listing_carry_the_same_items(pub):
    for atom in (pub / "feeds").rglob("*.atom.xml"):
        rss = atom.with_name(atom.name.replace(".atom.xml", ".rss.xml"))
        a, r = parse(atom), parse(rss)
        assert [e.id for e in a.entries] == [e.id for e in r.entries], atom
        assert [e.title for e in a.entries] == [e.title for e in r.entries]
        assert [e.link for e in a.entries] == [e.link for e in r.entries]
        assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", e.id) for e in a.entries)
        raw = rss.read_text(encoding="utf-8")
        assert raw.count('<guid isPermaLink="false">urn:uuid:') == len(r.entries)
    ids = [e.id for e in parse(pub / "feeds" / "tat-ca.atom.xml").entries]
    assert ids[:3] == [ID["mot-cua"], ID["plan"], ID["binh-luc"]]


def test_undated_and_future_posts_never_reach_the_top(pub):
    atom = parse(pub / "feeds" / "tat-ca.atom.xml")
    ids = [e.id for e in atom.entries]
    assert set(ids[-2:]) == {ID["undated"], ID["future"]}
    for e in atom.entries:
        if e.id in (ID["undated"], ID["future"]):
            assert "published" not in e
            assert e.updated_parsed.tm_year not in (1970, 2099)
            assert "ngày đăng" in e.content[0].value.lower()
    rss_raw = (pub / "feeds" / "tat-ca.rss.xml").read_text(encoding="utf-8")
    atom_raw = (pub / "feeds" / "tat-ca.atom.xml").read_text(encoding="utf-8")
    for raw in (rss_raw, atom_raw):
        assert "1970" not in raw
        assert not re.search(r"<(?:pubDate|published|updated|lastBuildDate)>[^<]*2099", raw)
    rss = parse(pub / "feeds" / "tat-ca.rss.xml")
    assert [("published" in e) for e in rss.entries] == [True] * 4 + [False] * 2
    # The feed's own date is its newest entry's, not the build time.
    assert atom.feed.updated == "2024-03-10T08:30:00+07:00"
    assert "<lastBuildDate>Sun, 10 Mar 2024 08:30:00 +0700</lastBuildDate>" in rss_raw
    # The unknown-date post says so in the reader, with the editor's note.
    undated = next(e for e in atom.entries if e.id == ID["undated"])
    assert "Không rõ ngày đăng" in undated.content[0].value
    assert "Trang gốc không ghi ngày đăng." in undated.content[0].value


def test_future_date_counts_once_the_build_reaches_it(tmp_path):
    out = publish(tmp_path, epoch=int(dt.datetime(2100, 1, 1, tzinfo=dt.UTC).timestamp()))
    first = parse(out / "feeds" / "tat-ca.atom.xml").entries[0]
    assert first.id == ID["future"]
    assert first.published.startswith("2099-02-01T00:00:00+07:00")


def test_feeds_use_the_schedule_now_setting(tmp_path):
    """CCHC_SCHEDULE["NOW"] is the build's "now" for feeds as for scheduling (it wins over
    SOURCE_DATE_EPOCH): a build previewing 2100 dates the 2099 post and puts it first."""
    out = publish(tmp_path, extra_conf='CCHC_SCHEDULE = {"NOW": "2100-01-01T00:00+07:00"}')
    first = parse(out / "feeds" / "tat-ca.atom.xml").entries[0]
    assert first.id == ID["future"]
    assert first.published.startswith("2099-02-01T00:00:00+07:00")


def test_builds_are_byte_identical_and_ids_survive_edits(tmp_path):
    first = publish(tmp_path / "a", epoch=None)
    second = publish(tmp_path / "b", epoch=None)
    files = [p.relative_to(first) for p in feed_files(first)]
    assert files and files == [p.relative_to(second) for p in feed_files(second)]
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel

    edited = tmp_path / "edited"
    shutil.copytree(FIXTURE, edited)
    post = edited / "tin-tuc" / "mot-cua-tay-ho.md"
    post.write_text(post.read_text(encoding="utf-8")
                    .replace('title: "Quận Tây Hồ đẩy mạnh một cửa liên thông"',
                             'title: "Tây Hồ: một cửa liên thông rút ngắn thời gian chờ"')
                    .replace("slug: mot-cua-tay-ho", "slug: tay-ho-mot-cua-lien-thong")
                    .replace("date: 10/03/2024 08:30", "date: 11/03/2024 09:00"), encoding="utf-8")
    plan = edited / "ke-hoach" / "ke-hoach-tay-ho-2024.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("news: [mot-cua-tay-ho]",
                                                             "news: [tay-ho-mot-cua-lien-thong]"),
                    encoding="utf-8")
    no_id = edited / "tin-tuc" / "khong-co-ma.md"
    no_id.write_text(no_id.read_text(encoding="utf-8")
                     .replace('title: "Tin chưa có mã định danh"', 'title: "Tin cũ, tiêu đề đã sửa"')
                     .replace("slug: khong-co-ma", "slug: tin-cu-da-sua"), encoding="utf-8")
    third = publish(tmp_path / "c", content=edited, epoch=None)

    def by_id(out):
        return {e.id: e for e in parse(out / "feeds" / "tat-ca.rss.xml").entries}

    before, after = by_id(first), by_id(third)
    assert set(before) == set(after)
    assert after[ID["mot-cua"]].title == "Tây Hồ: một cửa liên thông rút ngắn thời gian chờ"
    assert after[ID["mot-cua"]].link == f"{SITEURL}/tin-tuc/tay-ho-mot-cua-lien-thong/"
    old_no_id = next(i for i, e in before.items() if e.title == "Tin chưa có mã định danh")
    assert after[old_no_id].title == "Tin cũ, tiêu đề đã sửa"
    log = (first.parent / "build.log").read_text(encoding="utf-8")
    assert "khong-co-ma.md has no id" in " ".join(log.split())


def test_limit_keeps_the_newest(tmp_path):
    out = publish(tmp_path, extra_conf='CCHC_FEEDS = {"LIMIT": 2}')
    for path in feed_files(out):
        assert len(parse(path).entries) <= 2, path
    site = parse(out / "feeds" / "tat-ca.rss.xml")
    assert [e.id for e in site.entries] == [ID["mot-cua"], ID["plan"]]
    binh_luc = parse(out / "feeds" / "dia-phuong" / "huyen-binh-luc.atom.xml")
    assert [e.title for e in binh_luc.entries] == [
        "Bình Lục chuyển đổi số trong giải quyết thủ tục", "Tin chưa có mã định danh"]
    assert ID["undated"] not in {e.id for e in parse(out / "feeds" / "tat-ca.atom.xml").entries}


def _feed_links(page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [l for l in soup.head.find_all("link", rel="alternate") if l.get("type") in FEED_TYPES]


def test_autodiscovery_on_every_page_resolves(pub):
    pages = html_files(pub)
    assert len(pages) > 20
    for page in pages:
        links = _feed_links(page)
        hrefs = [l["href"] for l in links]
        assert {f"{SITEURL}/feeds/tat-ca.atom.xml", f"{SITEURL}/feeds/tat-ca.rss.xml"} <= set(hrefs), page
        for link in links:
            assert link.get("title"), page
            assert local_file(pub, link["href"]).is_file(), (page, link["href"])
    own = {
        "tin-tuc/index.html": "feeds/loai/tin-tuc",
        "ke-hoach/index.html": "feeds/loai/ke-hoach",
        "linh-vuc/thu-tuc-hanh-chinh/index.html": "feeds/linh-vuc/thu-tuc-hanh-chinh",
        "dia-phuong/quan-tay-ho/index.html": "feeds/dia-phuong/quan-tay-ho",
    }
    for page, feed in own.items():
        hrefs = {l["href"] for l in _feed_links(pub / page)}
        assert {f"{SITEURL}/{feed}.atom.xml", f"{SITEURL}/{feed}.rss.xml"} <= hrefs, page
    assert len(_feed_links(pub / "tin-tuc" / "mot-cua-tay-ho" / "index.html")) == 2


def test_theo_doi_lists_every_feed_with_a_copyable_address(pub):
    page = pub / "theo-doi" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("main")
    feed_anchors = [a for a in main.find_all("a") if a["href"].endswith(".xml")]
    listed = {a["href"] for a in feed_anchors}
    written = {f"{SITEURL}/{p.relative_to(pub).as_posix()}" for p in feed_files(pub)}
    assert listed == written
    for a in feed_anchors:
        assert a.get_text(strip=True) == a["href"]  # the visible text is the address to copy
    assert main.find("h2", string="RSS là gì?")
    home = BeautifulSoup((pub / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.find("footer").find("a", href=f"{SITEURL}/theo-doi/")


def test_development_build_writes_no_feeds(tmp_path):
    proj = make_project(tmp_path, FIXTURE)
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proj / "output"
    assert not (out / "feeds").exists()
    assert not list(out.rglob("*.xml"))
    for page in html_files(out):
        assert _feed_links(page) == [], page
    text = BeautifulSoup((out / "theo-doi" / "index.html").read_text(encoding="utf-8"),
                         "html.parser").find("main").get_text()
    assert "make publish" in text


def test_seed_site_feeds_are_clean(tmp_path):
    out = publish(tmp_path, content=ROOT / "content", epoch=None)
    site = parse(out / "feeds" / "tat-ca.atom.xml")
    assert site.bozo == 0 and len(site.entries) == 9
    undated = {e.id for e in site.entries if "published" not in e}
    assert undated and {e.id for e in site.entries[-len(undated):]} == undated
    for path in feed_files(out):
        assert parse(path).bozo == 0, path
