"""Issue 31: which of two clashing posts is the published one, and how the message says it was decided."""

import subprocess

import pytest

from cchc.core.ages import Age, ages, how_known, oldest_first

MARCH, NOVEMBER = 1_740_819_600.0, 1_795_165_200.0  # 01/03/2025 and 20/11/2026, 09:00 UTC


@pytest.mark.parametrize("older, newer, said", [
    (Age("a.md", True, NOVEMBER, True), Age("b.md", False, MARCH, True), ("đã có trong git", "chưa có trong git")),
    (Age("a.md", True, MARCH, True), Age("b.md", True, NOVEMBER, True), ("vào git ngày", "vào git sau, ngày")),
    (Age("a.md", True, MARCH, True), Age("b.md", True, MARCH, True),
     ("vào git cùng lần với tệp này", "vào git cùng lần, được nêu ở đây vì tên tệp xếp sau")),
    (Age("a.md", False, MARCH, True), Age("b.md", False, NOVEMBER, True),
     ("chưa có trong git, sửa lần cuối", "cũng chưa có trong git, sửa lần cuối")),
    (Age("a.md", False, MARCH, False), Age("b.md", False, NOVEMBER, False),
     ("không dùng được git nên so theo thời điểm sửa tệp", "sau tệp đó")),
])
def test_the_message_says_how_the_order_was_decided(older, newer, said):
    assert older.key < newer.key
    why, state = how_known(older, newer)
    assert why.startswith(said[0]) or said[0] in why, why
    assert state.startswith(said[1]) or said[1] in state, state


def test_a_committed_file_is_older_than_an_uncommitted_one_whatever_the_clock(tmp_path, monkeypatch):
    import os

    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    monkeypatch.chdir(tmp_path)
    subprocess.run([*git, "init", "-q"], check=True)
    for name in ("z-old.md", "a-copy.md"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    subprocess.run([*git, "add", "z-old.md"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    os.utime("a-copy.md", (1_000_000_000, 1_000_000_000))  # older on disk, and first by name
    (first, second), found = oldest_first(["a-copy.md", "z-old.md"])
    assert (first, second) == ("z-old.md", "a-copy.md")
    assert found["z-old.md"].committed and not found["a-copy.md"].committed


def test_without_git_the_modification_time_decides(tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))  # no git at all
    for name, when in (("a.md", 2_000_000_000), ("b.md", 1_000_000_000)):
        (tmp_path / name).write_text(name, encoding="utf-8")
        os.utime(name, (when, when))
    found = ages(["a.md", "b.md"])
    assert not any(a.git or a.committed for a in found.values())
    assert oldest_first(["a.md", "b.md"])[0] == ["b.md", "a.md"]
