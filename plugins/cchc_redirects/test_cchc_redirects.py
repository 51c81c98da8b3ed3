"""cchc_redirects: the old portal's addresses keep working (a tiny site, in process)."""

from bs4 import BeautifulSoup

NEW = "/tin-tuc/tin-chuyen-tu-cong-cu/"


def test_an_old_path_gets_a_redirect_page_to_the_post(dev_site):
    soup = BeautifulSoup((dev_site / "portal/cchc/tin-cu-so-70/index.html").read_text(encoding="utf-8"),
                         "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None and refresh["content"].endswith(NEW), refresh
    assert soup.find("a", href=NEW) is not None  # a visible link for whoever the refresh misses


def test_query_string_forms_get_real_301s_for_both_servers(dev_site):
    """SharePoint's View_Detail.aspx?ItemID=70 cannot be a static file: nginx and Apache rules."""
    nginx = (dev_site / "redirects" / "nginx.conf").read_text(encoding="utf-8")
    htaccess = (dev_site / "redirects" / ".htaccess").read_text(encoding="utf-8")
    assert "ItemID=70" in nginx and NEW in nginx
    assert "ItemID=70" in htaccess and NEW in htaccess
    assert "R=301" in htaccess
