#!/usr/bin/env python
"""Starts the embedded stack: Django's server, a Celery worker with beat, on the filesystem
broker (its folders, the SQLite file and the beat schedule under PASAR_VAR_DIR, default var/).
Ctrl-C stops all of them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PASAR_VAR_DIR") or BASE / "var")
PYTHON = sys.executable
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
# Worker processes. Three, on a two-CPU machine: on SQLite a process often waits for the one
# write lock, and the third keeps a CPU busy meanwhile (bench/embedded_broker.py measured it).
CONCURRENCY = int(os.environ.get("RUN_WORKER_CONCURRENCY", "3"))


def worker_command(var: Path = VAR, *, python: str = PYTHON) -> list[str]:
    """The Celery worker with beat, as `make run` starts it (bench/embedded_broker.py too).

    It takes from the default queue and the prompt queue (config/celery.py); the filesystem
    broker's polling interval is in config/settings.py."""
    return [
        python,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--beat",
        "--loglevel=INFO",
        f"--concurrency={CONCURRENCY}",
        f"--pidfile={var / 'celery-worker.pid'}",
        f"--schedule={var / 'celerybeat-schedule'}",
    ]


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops everything the way Ctrl-C does


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    VAR.mkdir(parents=True, exist_ok=True)
    pidfile = VAR / "celery-worker.pid"
    pidfile.unlink(missing_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    worker = subprocess.Popen(worker_command(VAR), cwd=BASE, env=env)
    web = subprocess.Popen([PYTHON, "manage.py", "runserver", ADDRESS], cwd=BASE, env=env)
    time.sleep(1)
    print(
        f"\n  Pasar Kreatif is running at http://{ADDRESS}/  (English: /en/, "
        f"CMS: /cms-admin/)\n"
        "  Demo logins (password): admin@pasar.test (demo-admin-123), "
        "editor@pasar.test (demo-editor-123),\n"
        "  penjual1@pasar.test and penjual2@pasar.test (demo-seller-123)\n"
        "  Ctrl-C stops the site, the worker and beat.\n",
        flush=True,
    )
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
