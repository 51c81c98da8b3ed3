"""cchc_security: every page carries the Content-Security-Policy (a tiny site, in process)."""

from bs4 import BeautifulSoup


def _policies(site):
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        if path.parts[-2:] != ("redirects", path.name):
            yield path, meta["content"] if meta else None


def test_every_page_has_a_policy_without_inline_scripts(dev_site, publish_site, siteurl):
    pages = 0
    for site, scripts in ((dev_site, "'self'"), (publish_site, f"{siteurl}/theme/js/")):
        for path, policy in _policies(site):
            if policy is None and "http-equiv=\"refresh\"" in path.read_text(encoding="utf-8"):
                continue  # an old address's redirect page (cchc_redirects) runs nothing
            assert policy, f"{path} has no Content-Security-Policy"
            directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
            assert directives["script-src"] == scripts, (path, policy)
            assert "'unsafe-inline'" not in directives["script-src"]
            assert directives["object-src"] == "'none'"
            pages += 1
    assert pages > 40
