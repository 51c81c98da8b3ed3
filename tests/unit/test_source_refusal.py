"""cchc.core.files.source_refusal: what Pelican may read as a post of content/ (its stamps and
our reader ask it of every file, before opening anything), with the plain `pelican` command too,
where no `cchc check` walked the tree first."""

import os

from cchc.core.files import BROKEN_LINK, SPECIAL_FILE, source_refusal


def test_a_post_inside_content_is_read_whatever_way_it_is_reached(tmp_path):
    content = tmp_path / "content"
    (content / "tin-tuc").mkdir(parents=True)
    post = content / "tin-tuc" / "a.md"
    post.write_text("---\n", encoding="utf-8")
    (content / "tin-tuc" / "ban-sao.md").symlink_to("a.md")  # a link that stays inside
    (tmp_path / "lien-ket").symlink_to(content)  # content/ itself reached through a link
    assert source_refusal(content, post) is None
    assert source_refusal(content, content / "tin-tuc" / "ban-sao.md") is None
    assert source_refusal(tmp_path / "lien-ket", tmp_path / "lien-ket" / "tin-tuc" / "a.md") is None
    assert source_refusal(str(content), str(post)) is None  # strings as Pelican passes them


def test_links_out_of_content_broken_links_and_special_files_are_refused(tmp_path):
    content = tmp_path / "content"
    (content / "tin-tuc").mkdir(parents=True)
    outside = tmp_path / "ngoai.md"
    outside.write_text("---\n", encoding="utf-8")
    # A neighbour whose name starts like content's: outside, though its path shares the prefix.
    (tmp_path / "content-cu").mkdir()
    (tmp_path / "content-cu" / "b.md").write_text("---\n", encoding="utf-8")
    folder = content / "tin-tuc"
    (folder / "ngoai.md").symlink_to(outside)
    (folder / "hang-xom.md").symlink_to(tmp_path / "content-cu" / "b.md")
    (folder / "hong.md").symlink_to(folder / "khong-co.md")
    (folder / "vong.md").symlink_to("vong.md")
    os.mkfifo(folder / "ong.md")
    for name in ("ngoai.md", "hang-xom.md"):
        why = source_refusal(content, folder / name)
        assert why and why.startswith("liên kết tượng trưng (symlink) trỏ ra ngoài"), (name, why)
    assert source_refusal(content, folder / "hong.md") == BROKEN_LINK
    assert source_refusal(content, folder / "vong.md") == BROKEN_LINK
    assert source_refusal(content, folder / "ong.md") == SPECIAL_FILE
    assert source_refusal(content, tmp_path / "ngoai.md").startswith("liên kết tượng trưng")  # not under it


def test_a_content_link_moved_to_another_folder_is_followed_anew(tmp_path):
    """The content folder's real path is resolved once per folder (not once per post): a root
    that is a link moved to another folder between two builds (studio, the preview) is resolved
    again, so the posts of the new folder are read and those of the old one refused."""
    old, new = tmp_path / "cu", tmp_path / "moi"
    for folder in (old, new):
        (folder / "tin-tuc").mkdir(parents=True)
        (folder / "tin-tuc" / "a.md").write_text("---\n", encoding="utf-8")
    root = tmp_path / "content"
    root.symlink_to(old)
    assert source_refusal(root, root / "tin-tuc" / "a.md") is None
    root.unlink()
    root.symlink_to(new)
    assert source_refusal(root, root / "tin-tuc" / "a.md") is None
    assert source_refusal(root, old / "tin-tuc" / "a.md").startswith("liên kết tượng trưng")
