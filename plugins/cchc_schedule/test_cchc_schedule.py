"""cchc_schedule: a post dated in the future waits for the first build on or after its date."""


def test_a_future_post_is_not_published_yet(dev_site, publish_site):
    for site in (dev_site, publish_site):
        assert (site / "tin-tuc" / "tin-chuyen-tu-cong-cu" / "index.html").is_file()  # dated 2021
        assert not (site / "tin-tuc" / "tin-hen-gio").exists()
        assert "Tin hẹn giờ đăng" not in (site / "index.html").read_text(encoding="utf-8")
    assert "tin-hen-gio" not in (publish_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "tin-hen-gio" not in (publish_site / "feeds" / "tat-ca.atom.xml").read_text(encoding="utf-8")
