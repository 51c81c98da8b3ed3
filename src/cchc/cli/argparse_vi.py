"""argparse in Vietnamese: usage, --help headings and error messages of the `cchc` commands.

argparse takes its words from gettext, and Python ships no Vietnamese catalogue; these are
the messages argparse can produce (Python 3.11), swapped in only while the `cchc` parser is
built and used (``with vietnamese():``), so nothing else in the process is affected.
"""

import argparse
import contextlib
import sys

CATALOGUE = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "giá trị %(value)r không hợp lệ; chọn một trong: %(choices)s",
    "the following arguments are required: %s": "còn thiếu: %s",
    "unrecognized arguments: %s": "không hiểu: %s",
    "invalid %(type)s value: %(value)r": "%(value)r không phải %(type)s",
    "expected one argument": "cần một giá trị ngay sau",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s",
    "one of the arguments %s is required": "cần một trong các tham số: %s",
    "not allowed with argument %s": "không dùng cùng với %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị (%r)",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "%(prog)s: error: %(message)s\n": "LỖI %(prog)s: %(message)s\n",
    "expected %s argument": "cần %s giá trị",
    "expected %s arguments": "cần %s giá trị",
}


def _(message):
    return CATALOGUE.get(message, message)


def _n(singular, plural, n):
    return _(singular if n == 1 else plural)


@contextlib.contextmanager
def vietnamese():
    """argparse speaks Vietnamese inside this block."""
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _, _n
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class Parser(argparse.ArgumentParser):
    """An error is one Vietnamese line and where to read the help, exit code 2 (as argparse)."""

    def error(self, message):
        print(f"LỖI {self.prog}: {message}. Xem hướng dẫn: {self.prog} --help", file=sys.stderr)
        sys.exit(2)


def integer(text):
    """--port and other numbers: the message names what was expected in Vietnamese."""
    return int(text)


integer.__name__ = "số nguyên"
