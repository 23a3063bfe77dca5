"""Real Celery workers and a private Redis for the integration tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def database_url() -> str:
    """The URL of the test database, for a process started by the test."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class WorkerProcess:
    def __init__(
        self,
        *,
        broker_url: str | None,
        tmp: Path,
        beat: bool,
        sweep_seconds: int,
        extra_env: dict[str, str] | None = None,
    ):
        self.log = tmp / "worker.log"
        self.pidfile = tmp / "worker.pid"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "OUTBOX_SWEEP_SECONDS": str(sweep_seconds),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            f"--pidfile={self.pidfile}",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"test-{os.getpid()}@%h",
        ]
        if beat:
            command += ["--beat", f"--schedule={tmp / 'beat-schedule'}"]
        self._log_file = self.log.open("w")
        # Its own process group, so that kill() takes the pool's children down with it.
        self.process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(self._ready, timeout=60, what="the Celery worker to be ready")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
        return " ready." in self.log.read_text()

    def output(self) -> str:
        return self.log.read_text()

    def kill(self) -> None:
        """Die the hard way (SIGKILL to the whole group), as a worker whose machine is lost."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log_file.close()

    def stop(self) -> None:
        if self._log_file.closed:
            return
        if self.process.poll() is None:
            pid = int(self.pidfile.read_text()) if self.pidfile.exists() else self.process.pid
            os.kill(pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


@contextmanager
def celery_worker(
    *,
    tmp: Path,
    broker_url: str | None = None,
    beat: bool = False,
    sweep_seconds: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(
        broker_url=broker_url,
        tmp=tmp,
        beat=beat,
        sweep_seconds=sweep_seconds,
        extra_env=extra_env,
    )
    try:
        yield worker
    finally:
        worker.stop()


class RedisServer:
    """A Redis of the test's own, so that a test can take the broker away and bring it back."""

    def __init__(self, tmp: Path):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.tmp = tmp
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server to answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def publishing_to(broker_url: str) -> Iterator[None]:
    """Point this test process's Celery producer at another broker for a while.

    Celery keeps its producer pools once made, so they are dropped on the way in and out.
    """
    from config.celery import app

    def reset_pools() -> None:
        app._pool = None
        app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)

    previous = app.conf.broker_write_url
    app.conf.broker_write_url = broker_url
    reset_pools()
    try:
        yield
    finally:
        app.conf.broker_write_url = previous
        reset_pools()
