"""`make devserver` serves on 127.0.0.1 and rebuilds when content, theme or plugins change."""

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

from bench.localhost import fetch, free_port, wait_until
from conftest import ROOT, files_of, make_project

NEWS = """---
type: tin-tuc
title: "{title}"
slug: tin-xem-truoc
date: 01/02/2024
locality: Huyện Tam Dương
summary: "Tóm tắt."
areas: [the-che]
---

Nội dung.
"""


def wait_for(url, text, seconds=40):
    return bool(wait_until(lambda: text in fetch(url), seconds, 0.3))


def start_devserver(proj):
    """`cchc devserver` in *proj* on a free port → (process, port); its output is piped."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(proj / "plugins"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cchc.cli.cli", "devserver", "--port", str(port)],
        cwd=proj, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return proc, port


def test_devserver_rebuilds_on_content_theme_and_plugin_changes(tmp_path):
    proj = make_project(tmp_path)
    # real copies (not symlinks) of theme and plugins, so the test can edit them
    for name in ("theme", "plugins"):
        (proj / name).unlink()
        subprocess.run(["cp", "-r", str(ROOT / name), str(proj / name)], check=True)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(NEWS.format(title="Bản đầu"), encoding="utf-8")
    proc, port = start_devserver(proj)
    url = f"http://127.0.0.1:{port}/tin-tuc/tin-xem-truoc/"
    try:
        assert wait_for(url, "Bản đầu"), "first build not served"
        post.write_text(NEWS.format(title="Bản sửa"), encoding="utf-8")
        assert wait_for(url, "Bản sửa"), "content change not rebuilt"
        ui = proj / "theme" / "ui.yaml"
        ui.write_text(ui.read_text(encoding="utf-8").replace("Đăng", "Ngày đăng bài"), encoding="utf-8")
        assert wait_for(url, "Ngày đăng bài"), "theme change not rebuilt"
        listing = proj / "plugins" / "cchc_listings" / "cchc_listings.py"
        source = listing.read_text(encoding="utf-8")
        edited = source.replace('"AREA_URL": DEFAULT_URLS["area"]', '"AREA_URL": "linh-vuc-moi/{slug}/"')
        assert edited != source, "the plugin edit this test makes no longer applies: update it"
        listing.write_text(edited, encoding="utf-8")
        assert wait_for(f"http://127.0.0.1:{port}/linh-vuc-moi/the-che/", "Bản sửa"), "plugin change not rebuilt"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_devserver_error_panel_reload_event_and_no_traceback(tmp_path):
    """A broken date: the served pages carry the Vietnamese panel (file, line), an event tells
    open tabs to reload, the terminal shows the `make check` line and no traceback; fixed → gone."""
    import json

    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(NEWS.format(title="Bản đầu"), encoding="utf-8")
    proc, port = start_devserver(proj)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/tin-tuc/tin-xem-truoc/"
    try:
        assert wait_for(url, "Bản đầu"), "first build not served"
        page = fetch(url)
        assert '<script src="/__cchc/reload.js"' in page and "cchc-preview-errors" not in page
        assert "__cchc" not in (proj / "output" / "tin-tuc" / "tin-xem-truoc" / "index.html").read_text(
            encoding="utf-8"), "the reload script must never be written into the site"
        version = json.loads(fetch(f"{base}/__cchc/state.json"))["version"]
        events = urllib.request.urlopen(f"{base}/__cchc/events", timeout=30)
        post.write_text(NEWS.format(title="Bản đầu").replace("01/02/2024", "31/02/2024"), encoding="utf-8")
        event = None
        for raw in events:
            line = raw.decode("utf-8").strip()
            if line.startswith("data: {"):
                event = json.loads(line[6:])
                break
        events.close()
        assert event and event["version"] > version and event["paths"] == ["*"] and event["errors"] == 1
        page = fetch(url)
        assert 'class="cchc-preview-errors"' in page
        assert "content/tin-tuc/tin-xem-truoc.md:5" in page and "31/02/2024" in page
        assert "Bản đầu" in page, "the last good page stays under the panel"
        post.write_text(NEWS.format(title="Bản sửa"), encoding="utf-8")
        assert wait_for(url, "Bản sửa")
        # the new pages are swapped in just before the errors are cleared
        assert wait_until(lambda: "Bản sửa" in (page := fetch(url)) and "cchc-preview-errors" not in page, 20)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert "LỖI content/tin-tuc/tin-xem-truoc.md:5: trường “date”" in out, out
    assert "Traceback" not in out and "GET /" not in out, out


def test_fast_path_then_full_build_serves_exactly_a_full_build(tmp_path):
    """An edit goes through the warm path first (the post's page and the home page), then the
    full build: once the preview is idle, output/ is byte for byte what `cchc build` writes."""
    import json

    from conftest import build

    proj = make_project(tmp_path, ROOT / "content")
    proc, port = start_devserver(proj)
    base = f"http://127.0.0.1:{port}"

    def state():
        try:
            return json.loads(fetch(f"{base}/__cchc/state.json"))
        except ValueError:
            return {}

    try:
        assert wait_until(lambda: state().get("warm"), 120, 0.3), "the warm path never became ready"
        post = next(p for p in sorted((proj / "content" / "tin-tuc").glob("*.md"))
                    if "\nsummary:" in p.read_text(encoding="utf-8"))
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("\nsummary: ", "\nsummary: Đã sửa khi xem trước. ", 1), encoding="utf-8")
        version = state()["version"]
        wait_until(lambda: state().get("version", 0) >= version + 2 and not state()["building"], 120, 0.3)
        s = state()
        assert s["version"] >= version + 2 and not s["building"] and not s["problems"], s
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "Đã cập nhật trang của content/tin-tuc/" in out, out  # the fast path ran
    fresh = tmp_path / "fresh"
    shutil.copytree(proj / "content", fresh / "content")
    (fresh / "ref").mkdir()
    ref = make_project(fresh / "ref", fresh / "content")
    assert build(ref).returncode == 0
    served, full = files_of(proj / "output"), files_of(ref / "output")
    assert served.keys() == full.keys()
    differ = [str(k) for k in served if served[k] != full[k]]
    assert not differ, differ[:10]
    assert "Đã sửa khi xem trước." in (proj / "output" / "index.html").read_text(encoding="utf-8") or any(
        "Đã sửa khi xem trước." in v.decode("utf-8", "replace") for k, v in served.items() if str(k).endswith(".html"))


def test_the_quick_preview_writes_the_edited_body_not_a_stale_one(tmp_path):
    """Issue 31: the warm path (cchc.cli.warm) refreshed the post object in place, but Pelican
    memoizes each post's rendered body (pelican.utils.memoized on get_content/get_summary), so
    the page it wrote 0.04 s after a save still held the old text until the full build came."""
    import json

    proj = make_project(tmp_path, ROOT / "content")
    (proj / "output").mkdir()
    warm = subprocess.Popen([sys.executable, "-m", "cchc.cli.warm", "pelicanconf.py", "content", "output"],
                            cwd=proj, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, env=dict(os.environ, PYTHONPATH=str(ROOT / "plugins")))
    try:
        assert json.loads(warm.stdout.readline()).get("ready"), "the warm Pelican did not start"
        post = sorted((proj / "content" / "tin-tuc").glob("*.md"))[0]
        text = post.read_text(encoding="utf-8")
        post.write_text(text + "\nĐoạn văn vừa thêm khi xem trước nhanh.\n", encoding="utf-8")
        warm.stdin.write(json.dumps({"path": str(post)}) + "\n")
        warm.stdin.flush()
        answer = json.loads(warm.stdout.readline())
        assert answer["written"], answer
        page = (proj / "output" / answer["written"][0]).read_text(encoding="utf-8")
        assert "Đoạn văn vừa thêm khi xem trước nhanh." in page
    finally:
        warm.stdin.close()
        warm.wait(timeout=30)


def test_a_date_edit_stays_quick_so_does_the_next_edit_and_a_slow_one_says_why(tmp_path):
    """Issue 31: a re-dated post took the full build only, and the warm process started over,
    so the next edit took the full build too; and when the quick path could not update, the
    terminal gave no reason. Now the date edit is quick (Pelican's lists sorted again), the
    warm process answers the next edit while a fresh one warms up behind it, and an edit the
    quick path cannot take (a new post) says so in Vietnamese."""
    import threading

    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(NEWS.format(title="Bản đầu"), encoding="utf-8")
    proc, port = start_devserver(proj)
    lines = []

    def read():
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/tin-tuc/tin-xem-truoc/"

    def said(text, count=1):
        return sum(text in line for line in lines) >= count

    quick = "Đã cập nhật trang của content/tin-tuc/tin-xem-truoc.md"
    try:
        assert wait_for(f"{base}/__cchc/state.json", '"warm": true', 120), "the quick path never became ready"
        post.write_text(NEWS.format(title="Bản đầu").replace("01/02/2024", "03/02/2024 10:30"), encoding="utf-8")
        assert wait_until(lambda: said("Xong (", 2), 60), lines
        assert said(quick), lines  # the date edit itself was quick
        assert 'datetime="2024-02-03T10:30' in fetch(url)
        post.write_text(NEWS.format(title="Bản sửa").replace("01/02/2024", "03/02/2024 10:30"), encoding="utf-8")
        assert wait_until(lambda: said("Xong (", 3), 60), lines
        assert said(quick, 2), lines  # and so was the next edit
        assert "Bản sửa" in fetch(url)
        other = post.with_name("tin-moi.md")
        other.write_text(NEWS.format(title="Tin mới").replace("tin-xem-truoc", "tin-moi"), encoding="utf-8")
        assert wait_until(lambda: said("Xong (", 4), 60), lines
        assert said("Thay đổi: content/tin-tuc/tin-moi.md. Chưa cập nhật nhanh được (bài mới"), lines
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_a_move_the_quick_path_cannot_take_is_followed_after_the_full_build(tmp_path):
    """The dev server knows each post's address itself (cchc.core's rules), so an address that
    changes on the full build only (here a new language: /en/…, which the quick path leaves to
    the full build) is in the reload event too, and the old address says where the post went."""
    import json
    import time

    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(NEWS.format(title="Bản đầu"), encoding="utf-8")
    proc, port = start_devserver(proj)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/__cchc/state.json", '"warm": true', 120), "the quick path never became ready"
        events = urllib.request.urlopen(f"{base}/__cchc/events", timeout=60)
        post.write_text(NEWS.format(title="Bản đầu").replace("areas:", "lang: en\nareas:"), encoding="utf-8")
        moved, deadline = None, time.monotonic() + 90
        for raw in events:  # a ping comes every 15 s at least
            if time.monotonic() > deadline:
                break
            line = raw.decode("utf-8").strip()
            if line.startswith("data: {") and json.loads(line[6:]).get("moved"):
                moved = json.loads(line[6:])["moved"]
                break
        events.close()
        assert moved == {"/tin-tuc/tin-xem-truoc/": "/en/tin-tuc/tin-xem-truoc/"}, moved
        try:
            urllib.request.urlopen(f"{base}/tin-tuc/tin-xem-truoc/", timeout=10)
            raise AssertionError("the old address still answers 200")
        except urllib.error.HTTPError as gone:
            assert gone.code == 404
            assert 'Bài này đã chuyển tới <a href="/en/tin-tuc/tin-xem-truoc/">' in gone.read().decode("utf-8")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "Chưa cập nhật nhanh được (ngôn ngữ (lang) đã đổi)" in out, out
    assert "Bài đã chuyển từ /tin-tuc/tin-xem-truoc/ tới /en/tin-tuc/tin-xem-truoc/" in out, out


def test_a_first_build_that_fails_does_not_claim_a_last_good_version(tmp_path):
    """The terminal said "trình duyệt đang hiện bản tốt gần nhất" also when no build had ever
    succeeded (output/ empty): the preview never claims what it does not show."""
    proj = make_project(tmp_path)
    post = proj / "content" / "tin-tuc" / "tin-xem-truoc.md"
    post.parent.mkdir(parents=True)
    post.write_text(NEWS.format(title="Bản đầu").replace("01/02/2024", "31/02/2024"), encoding="utf-8")
    proc, port = start_devserver(proj)
    try:
        assert wait_for(f"http://127.0.0.1:{port}/__cchc/state.json", '"building": false', 60)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "Có 1 lỗi: bản xây dựng không thành công, chưa có bản tốt nào để hiện" in out, out
    assert "bản tốt gần nhất" not in out, out
