"""cchc_precompress: .br and .gz twins of every text file, decompressing to the same bytes."""

import gzip

import brotli

from cchc_precompress.cchc_precompress import DEFAULTS


def test_every_text_file_has_twins_with_the_same_bytes(publish_site):
    checked = 0
    for path in sorted(publish_site.rglob("*")):
        if path.suffix[1:] in DEFAULTS["EXTENSIONS"] and path.is_file():
            data = path.read_bytes()
            br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
            if len(data) < DEFAULTS["MIN_SIZE"]:
                continue  # a tiny file gains nothing from a twin
            assert brotli.decompress(br.read_bytes()) == data, path
            assert gzip.decompress(gz.read_bytes()) == data, path
            checked += 1
    assert checked > 50


def test_twins_are_reproducible(publish_site):
    """No file name or time in the gzip header: two builds give the same bytes."""
    gz = (publish_site / "index.html.gz").read_bytes()
    assert gz[4:8] == b"\0\0\0\0"  # MTIME
    assert not gz[3] & 0x08  # FNAME flag
