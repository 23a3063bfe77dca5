"""What the benchmarks ran on: the machine, and the code's commit."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def cpu_count() -> int:
    """CPUs this process may run on (what `nproc` prints)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 0


def memory_gib() -> float:
    kib = _first("/proc/meminfo", "MemTotal")
    return int(kib.split()[0]) / 1024 / 1024 if kib else 0.0


def cpu_model() -> str:
    return _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown"


def git_commit(root: Path) -> str:
    """The short commit, with "+ uncommitted changes" when the tree is dirty."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench", ":!docs"):
        commit += " + uncommitted changes"
    return commit


def describe(root: Path) -> dict[str, object]:
    return {
        "cpus": cpu_count(),
        "cpu_model": cpu_model(),
        "memory_gib": round(memory_gib(), 1),
        "kernel": f"{platform.system()} {platform.release()}",
        "commit": git_commit(root),
    }
