"""Loopback helpers shared by the preview benchmark and the dev-server tests (no pytest here)."""

import os
import signal
import socket
import subprocess
import time
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


def wait_until(predicate, seconds=40, step=0.2):
    """Call *predicate* every *step* seconds until it gives a true value (returned) or *seconds* pass (None)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def stop_group(proc, sig=signal.SIGTERM, seconds=20):
    """Stop the process group *proc* leads (started with start_new_session): *sig*, then SIGKILL."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
