"""cchc_seo: sitemap.xml and robots.txt for production builds (a tiny site, in process)."""

import xml.etree.ElementTree as ET

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_published_page_once(publish_site, siteurl):
    locs = [u.findtext(f"{NS}loc") for u in ET.parse(publish_site / "sitemap.xml").getroot()]
    assert len(locs) == len(set(locs))
    assert f"{siteurl}/ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/" in locs
    assert f"{siteurl}/van-ban/136-kh-ubnd/" in locs
    assert not any(loc.endswith("404.html") or "/trang/" in loc for loc in locs)
    for loc in locs:
        rel = loc.removeprefix(siteurl + "/")
        assert (publish_site / rel / "index.html").is_file() or (publish_site / rel).is_file(), loc


def test_lastmod_only_when_the_date_is_known(publish_site):
    """The Bình Lục news item has no known date: no <lastmod> (never the build's time)."""
    for url in ET.parse(publish_site / "sitemap.xml").getroot():
        if "binh-luc-tiep-tuc" in url.findtext(f"{NS}loc"):
            assert url.find(f"{NS}lastmod") is None
            break
    else:
        raise AssertionError("the Bình Lục news item is not in the sitemap")


def test_robots_points_at_the_sitemap_and_development_has_neither(publish_site, dev_site, siteurl):
    assert f"Sitemap: {siteurl}/sitemap.xml" in (publish_site / "robots.txt").read_text(encoding="utf-8")
    assert not (dev_site / "sitemap.xml").exists() and not (dev_site / "robots.txt").exists()
