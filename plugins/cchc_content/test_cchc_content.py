"""cchc_content: posts read with YAML front matter through the one schema (a tiny site, in process)."""

from bs4 import BeautifulSoup

PLAN = "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/index.html"


def _page(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_front_matter_lists_reach_the_page(dev_site):
    """The plan's YAML lists (legal bases, targets) are read, not Pelican's `Key: value` lines."""
    page = _page(dev_site, PLAN)
    assert page.h1.get_text(strip=True) == "Kế hoạch cải cách hành chính nhà nước quận Tây Hồ giai đoạn 2021-2025"
    links = {a["href"] for a in page.select("a[href^='/van-ban/']")}
    assert "/van-ban/136-kh-ubnd/" in links and "/van-ban/07-ctr-qu/" in links, links
    assert "85" in page.get_text() and "95" in page.get_text()


def test_unknown_date_is_said_not_invented(dev_site):
    """A news item whose source gives no date (date_status: khong-ro) is published without one."""
    page = _page(dev_site, "tin-tuc/binh-luc-tiep-tuc-thuc-hien-cai-cach-hanh-chinh-nam-2024/index.html")
    assert page.select_one("time[datetime^='1970']") is None
    assert "1970" not in page.get_text()


def test_a_post_is_stamped_once_a_build_until_it_changes(tmp_path):
    """Pelican asks for each post's stamp four times a build (content_cache.guard_stamps): the
    file is read once, and read again as soon as its bytes change."""
    import os
    import types

    from cchc_content.content_cache import guard_stamps

    post = tmp_path / "a.md"
    post.write_text("một", encoding="utf-8")
    reads = []

    def stamp(filename):
        reads.append(filename)
        with open(filename, "rb") as fh:
            return fh.read()

    readers = types.SimpleNamespace(_filestamp_func=stamp)
    generator = types.SimpleNamespace(settings={"PATH": str(tmp_path), "CHECK_MODIFIED_METHOD": "md5"},
                                      context={}, _filestamp_func=stamp, readers=readers)
    guard_stamps(generator)
    for holder in (generator, readers, generator, readers):
        assert holder._filestamp_func(str(post)) == "một".encode()
    assert len(reads) == 1
    post.write_text("hai", encoding="utf-8")
    os.utime(post, ns=(1, 1))  # even with an old time
    assert readers._filestamp_func(str(post)) == b"hai"
    assert generator._filestamp_func(str(post)) == b"hai"
    assert len(reads) == 2
    fifo = tmp_path / "b.md"
    os.mkfifo(fifo)
    assert generator._filestamp_func(str(fifo)) == ""  # refused, never opened
