"""Issue 8: atomic swap, scheduled and draft posts, rebuilds that change only what changed."""

import time
from pathlib import Path

import pytest

from cchc.core import outputtree
from conftest import ROOT, build, html_files, make_project
from test_deploy_publish import IGNORE

POST = """---
type: tin-tuc
id: 00000000-0000-4000-8000-00000000000{n}
title: "{title}"
slug: {slug}
date: {date}
locality: Huyện Tam Dương
summary: "Tin thử nghiệm việc đăng bài."
areas: [the-che]
{extra}---

{body}
"""


def write_post(proj, slug, title, date="01/06/2024 08:00", extra="", body="Nội dung tin.", n=1):
    path = proj / "content" / "tin-tuc" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(POST.format(slug=slug, title=title, date=date, extra=extra, body=body, n=n), encoding="utf-8")
    return path


def snapshot(root):
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture
def small(tmp_path):
    proj = make_project(tmp_path, ROOT / "content")  # the real pages: the theme links to them
    write_post(proj, "tin-mot", "Tin thứ nhất", n=1)
    write_post(proj, "tin-hai", "Tin thứ hai", date="02/06/2024 08:00", n=2)
    proc = build(proj)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proj


def test_failed_build_keeps_the_previous_output(small):
    before = snapshot(small / "output")
    (small / "content" / "tin-tuc" / "hong.md").write_text(
        "---\ntype: tin-tuc\ntitle: \"Bài hỏng\"\ndate: 31/02/2024\n---\n\nThân bài.\n", encoding="utf-8")
    proc = build(small)
    assert proc.returncode != 0
    assert snapshot(small / "output") == before
    assert not list(small.glob(".output.*")), "temporary build folders left behind"


def test_failed_link_check_keeps_the_previous_output(small):
    before = snapshot(small / "output")
    write_post(small, "tin-ba", "Tin có liên kết hỏng", body="Xem [bài cũ](/tin-tuc/khong-ton-tai/).", n=3)
    ignore = [a for p in IGNORE for a in ("--linkcheck-ignore", p)]
    proc = build(small, "--linkcheck", *ignore)
    assert proc.returncode != 0
    assert "/tin-tuc/khong-ton-tai/" in proc.stderr
    assert snapshot(small / "output") == before
    # The same build without the broken link goes through and is swapped in.
    write_post(small, "tin-ba", "Tin có liên kết đúng", body="Xem [tin một](/tin-tuc/tin-mot/).", n=3)
    proc = build(small, "--linkcheck", *ignore)
    assert proc.returncode == 0, proc.stderr
    assert (small / "output" / "tin-tuc" / "tin-ba" / "index.html").is_file()


@pytest.mark.parametrize("checked", [False, True], ids=["plain", "link-checked"])
def test_rebuild_changes_only_what_changed(small, checked):
    """Files whose bytes did not change keep their times. With a link check (make publish) the
    times and the build's record are made in a child beside the check (cchc.cli.build._build)."""
    args = ("--linkcheck", *[a for p in IGNORE for a in ("--linkcheck-ignore", p)]) if checked else ()
    if checked:  # the record of a link-checked build
        assert build(small, *args).returncode == 0
    before = snapshot(small / "output")
    time.sleep(0.05)
    write_post(small, "tin-mot", "Tin thứ nhất", body="Nội dung tin, đã sửa.", n=1)
    assert build(small, *args).returncode == 0
    after = snapshot(small / "output")
    changed = {name for name in after if name in before and after[name][0] != before[name][0]}
    assert "tin-tuc/tin-mot/index.html" in changed
    for name, (_data, mtime) in after.items():
        if name in before and name not in changed:
            assert mtime == before[name][1], f"{name} did not change but got a new mtime"
        if name in changed:
            assert mtime != before[name][1]
    assert oct((small / "output").stat().st_mode & 0o777) != oct(0o700)  # a web server can read it
    records = outputtree.read_records(outputtree.records_file(small / "output"))
    assert set(records) == set(after)  # the record of the tree swapped in, for the next build
    assert all(records[rel][3] == outputtree.digest(data) for rel, (data, _mtime) in after.items())
    # An edit that keeps every file's size: the bytes are compared, not only the sizes.
    time.sleep(0.05)
    write_post(small, "tin-mot", "Tin thứ nhất", body="Nội dung tin, đã sửA.", n=1)
    assert build(small, *args).returncode == 0
    again = snapshot(small / "output")
    page = "tin-tuc/tin-mot/index.html"
    assert len(again[page][0]) == len(after[page][0]) and again[page][0] != after[page][0]
    assert again[page][1] != after[page][1]


def test_a_build_in_the_folders_of_the_tree_before_last_leaves_none_of_them_empty(small):
    """The tree a swap replaced keeps its folders, its files removed, for the next build to write
    into (cchc.cli.build.frame_of: making 23,000 folders anew cost ext4 3 s); a folder no file
    went into is removed: a deleted post leaves no folder behind."""
    assert build(small).returncode == 0  # the first tree goes aside
    assert build(small).returncode == 0  # ... and loses its files meanwhile: the frame
    frame = small / ".output.frame"
    assert frame.is_dir() and (frame / "tin-tuc" / "tin-hai").is_dir()
    assert not [p for p in frame.rglob("*") if not p.is_dir()]
    (small / "content" / "tin-tuc" / "tin-hai.md").unlink()
    assert build(small).returncode == 0  # written into the frame
    out = small / "output"
    assert (out / "tin-tuc" / "tin-mot" / "index.html").is_file()
    assert not (out / "tin-tuc" / "tin-hai").exists()
    assert [p for p in out.rglob("*") if p.is_dir() and not any(p.iterdir())] == []
    assert not list(small.glob(".output.new-*"))


def test_a_folder_of_attachments_that_became_a_file_is_copied_into_a_frame(small):
    """The frame's folder where the build now copies a file (content/files/bao-cao.pdf/ replaced by
    a file content/files/bao-cao.pdf) is removed first: Pelican's copy onto a folder only warns."""
    folder = small / "content" / "files" / "bao-cao.pdf"
    folder.mkdir(parents=True)
    (folder / "2024.pdf").write_bytes(b"%PDF-1.4 thu\n")
    for _ in range(3):  # the tree with the folder goes aside, then becomes the frame
        assert build(small).returncode == 0
    assert (small / ".output.frame" / "files" / "bao-cao.pdf").is_dir()
    (folder / "2024.pdf").unlink()
    folder.rmdir()
    folder.write_bytes(b"%PDF-1.4 mot tep\n")
    proc = build(small)
    assert proc.returncode == 0, proc.stderr
    assert (small / "output" / "files" / "bao-cao.pdf").read_bytes() == b"%PDF-1.4 mot tep\n"


def test_rebuild_does_not_trust_its_record_of_a_file_changed_since(small):
    """The rebuild knows the previous files' bytes from .output-digests without reading them,
    while each still has the size, date and inode it had. A page changed by hand in output/
    (same size) must get a new date when the build puts the real page back, or rsync and S3
    uploads, which compare size and date, would leave the hand-made page on the server."""
    assert build(small).returncode == 0  # a rebuild: .output-digests now describes output/
    assert (small / ".output-digests").is_file()
    page = small / "output" / "tin-tuc" / "tin-hai" / "index.html"
    real = page.read_bytes()
    time.sleep(0.05)
    page.write_bytes(real.replace(b"Tin th", b"TIN TH", 1))
    hand = page.stat().st_mtime_ns
    time.sleep(0.05)
    assert build(small).returncode == 0
    assert page.read_bytes() == real
    assert page.stat().st_mtime_ns != hand


def test_future_post_waits_for_a_build_on_its_date_and_drafts_never_appear(tmp_path, monkeypatch):
    proj = make_project(tmp_path)
    write_post(proj, "tin-da-dang", "Tin đã đăng", date="01/06/2024 08:00", n=1)
    write_post(proj, "tin-hen-gio", "Tin hẹn giờ", date="15/01/2030 08:00", n=2)
    write_post(proj, "tin-nhap", "Tin nháp", date="01/05/2024 08:00", extra="status: draft\n", n=3)

    def published_slugs():
        out = proj / "output"
        listing = (out / "tin-tuc" / "index.html").read_text(encoding="utf-8")
        files = {p.parent.name for p in (out / "tin-tuc").glob("*/index.html")}
        return files, listing

    monkeypatch.setenv("CCHC_NOW", "2030-01-15T07:59+07:00")
    assert build(proj).returncode == 0
    files, listing = published_slugs()
    assert files == {"tin-da-dang"}
    assert "Tin hẹn giờ" not in listing and "Tin nháp" not in listing
    assert not (proj / "output" / "drafts").exists()
    assert not any("Tin nháp" in p.read_text(encoding="utf-8") or "Tin hẹn giờ" in p.read_text(encoding="utf-8")
                   for p in html_files(proj / "output"))

    monkeypatch.setenv("CCHC_NOW", "15/01/2030 08:00")
    assert build(proj).returncode == 0
    files, listing = published_slugs()
    assert files == {"tin-da-dang", "tin-hen-gio"}
    assert "Tin hẹn giờ" in listing and "Tin nháp" not in listing


def test_plan_page_links_to_a_scheduled_news_item_only_once_it_is_published(tmp_path, monkeypatch):
    proj = make_project(tmp_path, ROOT / "content")
    plan = "binh-luc-ke-hoach-cai-cach-hanh-chinh-2024"
    write_post(proj, "tin-hen-gio", "Tin hẹn giờ về kế hoạch", date="15/01/2030 08:00",
               extra=f"plans: [{plan}]\n", n=4)
    ignore = [a for p in IGNORE for a in ("--linkcheck-ignore", p)]
    plan_page = proj / "output" / "ke-hoach" / plan / "index.html"

    monkeypatch.setenv("CCHC_NOW", "2030-01-14T12:00+07:00")
    proc = build(proj, "--linkcheck", *ignore)
    assert proc.returncode == 0, proc.stderr  # no link to the unpublished post
    assert "tin-hen-gio" not in plan_page.read_text(encoding="utf-8")

    monkeypatch.setenv("CCHC_NOW", "2030-01-15T08:00+07:00")
    proc = build(proj, "--linkcheck", *ignore)
    assert proc.returncode == 0, proc.stderr
    assert "/tin-tuc/tin-hen-gio/" in plan_page.read_text(encoding="utf-8")


def test_doubtful_future_date_is_published_not_scheduled(tmp_path, monkeypatch):
    """A date the editor marked doubtful (an old portal's typo such as 2099) is no schedule:
    the post is published; the feeds keep it from the top (tests/site/test_feeds.py)."""
    proj = make_project(tmp_path)
    write_post(proj, "tin-go-nham", "Tin gõ nhầm năm", date="01/02/2099 08:00",
               extra='date_status: nghi-van\ndate_note: "Năm có thể bị gõ nhầm."\n', n=1)
    write_post(proj, "tin-hen-gio", "Tin hẹn giờ", date="01/02/2099 08:00", n=2)
    monkeypatch.setenv("CCHC_NOW", "2026-11-23T12:00+07:00")
    assert build(proj).returncode == 0
    files = {p.parent.name for p in (proj / "output" / "tin-tuc").glob("*/index.html")}
    assert files == {"tin-go-nham"}
