"""The search build on sites a new agency really starts with."""

from conftest import ROOT, build, make_project


def test_a_site_with_pages_and_no_posts_builds_with_its_search_page(tmp_path):
    """A fresh portal may have its pages (Giới thiệu, Liên hệ…) before its first news item;
    the search index of no posts used to stop the build (lunr.py divided by zero)."""
    proj = make_project(tmp_path)
    (proj / "content" / "pages").mkdir()
    for page in (ROOT / "content" / "pages").glob("*.md"):
        (proj / "content" / "pages" / page.name).write_bytes(page.read_bytes())
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (proj / "output" / "tim-kiem" / "index.html").is_file()
    assert (proj / "output" / "gioi-thieu" / "index.html").is_file()
