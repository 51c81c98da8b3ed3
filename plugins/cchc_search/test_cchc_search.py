"""cchc_search: the Vietnamese index written by the build (a tiny site, in process)."""

import json

from cchc.core.text import fold


def _index(site):
    data = site / "tim-kiem" / "du-lieu"
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mode"] == "single"  # a small site: one file
    return manifest, json.loads((data / manifest["file"]).read_text(encoding="utf-8"))


def test_every_published_post_page_and_document_is_a_record(dev_site):
    manifest, index = _index(dev_site)
    urls = {row[0] for row in index["store"]}
    assert manifest["docs"] == len(index["store"])
    assert "ke-hoach/tay-ho-ke-hoach-cai-cach-hanh-chinh-2021-2025/" in urls, sorted(urls)
    assert "van-ban/136-kh-ubnd/" in urls and "gioi-thieu/" in urls, sorted(urls)
    assert not any("tin-hen-gio" in u for u in urls)  # not published yet (cchc_schedule)


def test_terms_are_folded_so_words_typed_without_tone_marks_match(dev_site):
    """'cai cach' finds 'cải cách': the index holds only folded terms (NFC, no tone marks, đ→d)."""
    _manifest, index = _index(dev_site)
    terms = [entry[0] for entry in index["entries"]]
    assert all(fold(t) == t for t in terms), [t for t in terms if fold(t) != t][:5]
    assert "cai" in terms and "cach" in terms and "cai cach" in terms
