"""The preview's and the studio's children (cchc.cli.preview.start_child): a Ctrl+C that reaches a
child between fork and exec stops the studio as Ctrl+C does, not with "LỖI không mong đợi"."""

import signal
import subprocess
import sys

import pytest

from cchc.cli import preview


def test_a_child_interrupted_before_it_starts_is_a_ctrl_c(monkeypatch):
    def interrupted():  # what SIGINT does to die_with_parent in the child, before exec
        raise KeyboardInterrupt

    monkeypatch.setattr(preview, "die_with_parent", interrupted)
    with pytest.raises(KeyboardInterrupt):
        preview.start_child([sys.executable, "-c", "pass"])


def test_a_child_that_starts_dies_with_its_parent():
    proc = preview.start_child([sys.executable, "-c",
                                "import ctypes, sys; s = ctypes.c_int(); "
                                "ctypes.CDLL('libc.so.6').prctl(2, ctypes.byref(s)); print(s.value)"],
                               stdout=subprocess.PIPE, text=True)
    out, _err = proc.communicate(timeout=30)
    assert int(out) == signal.SIGTERM  # PR_GET_PDEATHSIG: the signal it gets when this process ends
