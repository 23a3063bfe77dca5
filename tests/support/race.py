"""Run callables at the same moment, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_concurrently(*functions: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Start every function behind one barrier; return their results (or raised exceptions)."""
    barrier = threading.Barrier(len(functions))
    results: list[Any] = [None] * len(functions)

    def run(index: int, function: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = function()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller to assert on
            results[index] = exc
        finally:
            connection.close()  # each thread has its own connection; give it back

    threads = [
        threading.Thread(target=run, args=(i, f), daemon=True) for i, f in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise AssertionError("a concurrent call did not finish: deadlock?")
    return results
