"""cchc_feeds: RSS and Atom for the site, each type, area and locality, only with an absolute SITEURL."""

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_site_feed_lists_posts_with_absolute_links(publish_site, siteurl):
    root = ET.parse(publish_site / "feeds" / "tat-ca.atom.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) >= 5
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert href.startswith(siteurl + "/"), href
    rss = ET.parse(publish_site / "feeds" / "tat-ca.rss.xml").getroot()
    assert len(rss.findall("./channel/item")) == len(entries)


def test_feeds_per_area_and_locality_exist(publish_site):
    assert any((publish_site / "feeds" / "linh-vuc").rglob("*.atom.xml"))
    assert any((publish_site / "feeds" / "dia-phuong").rglob("*.atom.xml"))


def test_a_development_build_writes_no_feed(dev_site):
    assert not (dev_site / "feeds").exists()
    assert (dev_site / "theo-doi" / "index.html").is_file()  # the page saying where feeds will be
