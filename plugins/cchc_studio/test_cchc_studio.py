"""cchc_studio: /admin/ only when a backend is configured."""


def test_no_backend_no_editor(publish_site, dev_site):
    """publishconf.py sets no backend: neither build ships the editor."""
    assert not (publish_site / "admin").exists()
    assert not (dev_site / "admin").exists()
