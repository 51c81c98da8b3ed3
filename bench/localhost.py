"""Loopback helpers shared by the preview benchmark and the dev-server tests (no pytest here)."""

import socket
import urllib.request


def free_port():
    """A TCP port free on 127.0.0.1 just now (the kernel's pick), for a server started next."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, timeout=5):
    """The text served at *url*, or "" while nothing (or an error) answers there."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.read().decode("utf-8")
    except OSError:
        return ""
