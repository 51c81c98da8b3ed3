"""Issue 34: a rebuild links into its new tree the files the live site already holds byte for
byte (cchc.core.outputtree), and never changes a file of the live site while it builds."""

import os

from cchc.cli import build as build_module
from cchc.core import outputtree
from cchc.core.files import write_whole


def _live_tree(tmp_path, files):
    """output/ as a build leaves it (files, then the record of them) and an empty new tree."""
    old, new = tmp_path / "output", tmp_path / ".output.new"
    for rel, data in files.items():
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_bytes(data)
    new.mkdir()
    # As the build records the tree it swaps in (compared with the one before it: none here).
    write_whole(outputtree.records_file(old), build_module.record_text(old, new))
    return old, new


def test_a_file_with_the_same_bytes_is_linked_and_another_is_written(tmp_path):
    old, new = _live_tree(tmp_path, {"a/index.html": b"<p>giong</p>", "b/index.html": b"<p>cuu</p>"})
    tree = outputtree.PreviousTree(old, new)
    tree.write(new / "a" / "index.html", b"<p>giong</p>")
    tree.write(new / "b" / "index.html", b"<p>moi</p>")
    tree.write(new / "c" / "index.html", b"<p>them</p>")
    assert (new / "a" / "index.html").stat().st_ino == (old / "a" / "index.html").stat().st_ino
    assert (new / "b" / "index.html").read_bytes() == b"<p>moi</p>"
    assert (old / "b" / "index.html").read_bytes() == b"<p>cuu</p>"  # same size, other bytes
    assert (tree.linked, tree.written) == (1, 2)


def test_a_live_file_changed_since_its_record_is_not_trusted(tmp_path):
    """The record vouches for a file only while its size, mtime and inode are as recorded."""
    old, new = _live_tree(tmp_path, {"a.html": b"<p>mot</p>"})
    (old / "a.html").write_bytes(b"<p>hai</p>")  # same size, other bytes, written after the record
    os.utime(old / "a.html", ns=(1, 1))
    tree = outputtree.PreviousTree(old, new)
    tree.write(new / "a.html", b"<p>mot</p>")
    assert (new / "a.html").read_bytes() == b"<p>mot</p>"
    assert (new / "a.html").stat().st_ino != (old / "a.html").stat().st_ino


def test_writing_again_over_a_linked_file_leaves_the_live_file_alone(tmp_path):
    old, new = _live_tree(tmp_path, {"a.html": b"<p>mot</p>"})
    tree = outputtree.PreviousTree(old, new)
    tree.write(new / "a.html", b"<p>mot</p>")  # linked
    tree.write(new / "a.html", b"<p>khac</p>")  # a second write (Pelican's override_output)
    assert (new / "a.html").read_bytes() == b"<p>khac</p>"
    assert (old / "a.html").read_bytes() == b"<p>mot</p>"
    tree.write(new / "a.html", b"<p>mot</p>")  # a third: the live file's bytes again, linked over it
    assert (new / "a.html").stat().st_ino == (old / "a.html").stat().st_ino
    assert (tree.linked, tree.written) == (2, 1)


def test_no_record_means_every_file_is_written(tmp_path):
    old, new = _live_tree(tmp_path, {"a.html": b"<p>mot</p>"})
    os.unlink(outputtree.records_file(old))
    tree = outputtree.PreviousTree(old, new)
    tree.write(new / "a.html", b"<p>mot</p>")
    assert (tree.linked, tree.written) == (0, 1)
    settings = {"OUTPUT_PATH": str(new), outputtree.SETTING: str(new)}
    assert outputtree.PreviousTree.from_settings(settings) is None  # the same folder: nothing to take


def test_the_steps_after_the_pages_key_their_caches_by_the_records_digest(tmp_path):
    """The compressed twins (cchc_precompress) and the link records (the link check) are kept by
    the digest of a file's bytes; for a file linked from the live site that digest is taken from
    the output's record (PreviousTree.known_digest) instead of reading the file: the same digest."""
    from cchc.cli.linkcheck import LinkCache, Site
    from cchc_precompress import cchc_precompress as pre

    data = "<p>Trang giống hệt</p>".encode()
    old, new = _live_tree(tmp_path, {"a.html": data, "b.html": b"<p>khac</p>"})
    tree = outputtree.PreviousTree(old, new)
    tree.write(new / "a.html", data)
    tree.write(new / "b.html", b"<p>khac nua</p>")
    assert tree.known_digest(new / "a.html") == pre._digest(data)
    assert tree.known_digest(new / "b.html") is None  # written, not linked: read it
    store = LinkCache(tmp_path / "links", Site.from_siteurl(""))
    assert store.key("html", data) == ("html", bytes.fromhex(tree.known_digest(new / "a.html")))
