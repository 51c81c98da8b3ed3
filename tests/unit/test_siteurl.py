"""cchc.core.siteurl: the one reading of SITEURL (feeds, CSP, publish check, JSON-LD)."""

import pytest

from cchc.core import siteurl


@pytest.mark.parametrize("value, absolute, origin, host", [
    ("", False, "", ""),
    ("/cchc", False, "", ""),
    ("cchc.gov.vn", False, "", ""),
    ("https://", False, "", ""),
    ("ftp://cchc.gov.vn", False, "", "cchc.gov.vn"),
    ("https://cchc.gov.vn", True, "https://cchc.gov.vn", "cchc.gov.vn"),
    ("http://127.0.0.1:8000", True, "http://127.0.0.1:8000", "127.0.0.1"),
    ("https://Example.GOV.vn/cchc", True, "https://Example.GOV.vn", "example.gov.vn"),
])
def test_siteurl_readings(value, absolute, origin, host):
    assert siteurl.is_absolute(value) is absolute
    assert siteurl.origin(value) == origin
    assert siteurl.host(value) == host


def test_absolute_url_joins_a_site_url_under_the_address():
    assert siteurl.absolute_url("https://cchc.gov.vn/cchc", "tin-tuc/a/") == "https://cchc.gov.vn/cchc/tin-tuc/a/"
    assert siteurl.absolute_url("", "tin-tuc/a/") == "/tin-tuc/a/"
