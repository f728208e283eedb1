"""The service as a child process (``regiorapportage register serve``) on 127.0.0.1: for
the demo, the load benchmark and the fault tests. Started in its own process group, so that
stopping it (SIGTERM, or SIGKILL in a fault test) reaches uvicorn's supervisor and workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(config: Path, port: int, workers: int = 1) -> subprocess.Popen:
    """Start the service and wait until ``/gezondheid`` answers."""
    import httpx

    proc = subprocess.Popen(
        [sys.executable, "-m", "regiorapportage", "register", "serve", "--config", str(config), "--port", str(port),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"de dienst stopte bij het starten: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/gezondheid", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop(proc)
    raise RuntimeError(f"de dienst startte niet binnen {START_TIMEOUT} s")


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group (a graceful stop), SIGKILL after 30 s; nothing when it
    has already ended."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL to the whole process group: the supervisor and its workers (fault tests)."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
