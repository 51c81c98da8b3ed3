"""cchc.core.files.write_whole: the one way our commands write a file whole or not at all
(the importer's posts and report, the build's record of its output)."""

import os

import pytest

from cchc.core.files import write_whole


def _others(folder, keep):
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def test_replaces_the_file_whole_with_the_usual_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "sub" / "bao-cao.json"
    write_whole(path, "cũ\n")
    write_whole(path, "Cải cách hành chính\r\nmới\n")
    assert path.read_bytes() == "Cải cách hành chính\r\nmới\n".encode()
    mask = os.umask(0o022)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600
    assert _others(path.parent, path.name) == []


def test_without_replace_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "bai-viet.md"
    path.write_text("bài của người khác\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_whole(path, "bài nhập\n", replace=False, durable=True)
    assert path.read_text(encoding="utf-8") == "bài của người khác\n"
    assert _others(tmp_path, path.name) == []
    new = tmp_path / "bai-moi.md"
    write_whole(new, "bài nhập\n", replace=False, durable=True)
    assert new.read_text(encoding="utf-8") == "bài nhập\n"


def test_a_failed_write_leaves_the_old_file_as_it_was(tmp_path):
    path = tmp_path / ".output-digests"
    path.write_text("bản cũ\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_whole(path, "nửa chừng \ud800")  # a lone surrogate: UTF-8 cannot write it
    assert path.read_text(encoding="utf-8") == "bản cũ\n"
    assert _others(tmp_path, path.name) == []


def test_a_replaced_file_keeps_its_mode(tmp_path):
    """`make fix-nfc` and `make new-id` rewrite staff posts: a post kept private (0640) stays so."""
    path = tmp_path / "bai.md"
    path.write_text("cu\u0309\n", encoding="utf-8")
    path.chmod(0o640)
    write_whole(path, "củ\n")
    assert path.stat().st_mode & 0o777 == 0o640 and path.read_text(encoding="utf-8") == "củ\n"


def test_a_symbolic_link_stays_one_and_its_target_is_rewritten(tmp_path):
    target = tmp_path / "that.md"
    target.write_text("cũ\n", encoding="utf-8")
    link = tmp_path / "this.md"
    link.symlink_to(target.name)
    write_whole(link, "mới\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "mới\n"
