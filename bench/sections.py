"""Sections of docs/benchmarks.md that a benchmark writes on its own, between
`<!-- NAME:start -->` and `<!-- NAME:end -->`: bench/run.py rewrites the rest of the page and
puts these back as they were."""

from __future__ import annotations

import re
from pathlib import Path

# Written by bench/search_freshness.py, bench/relevance.py --write and bench/search_api.py,
# and bench/page_weight.py --write.
SEARCH_SECTIONS = ("search-freshness", "search-relevance", "search-api", "page-weight")
# Written by bench/reports.py (the cashless reports with a million payments).
REPORT_SECTIONS = ("cashless-reports",)
KEPT_SECTIONS = SEARCH_SECTIONS + REPORT_SECTIONS


def marks(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def section_of(text: str, name: str) -> str | None:
    start, end = marks(name)
    found = re.search(re.escape(start) + ".*?" + re.escape(end), text, re.DOTALL)
    return found.group(0) if found else None


def write_section(path: Path, name: str, body: str) -> None:
    """Replace the section `name` of the page (`body` without its marks), or add it before
    "## How to run"."""
    start, end = marks(name)
    section = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    old = section_of(text, name)
    if old:
        text = text.replace(old, section)
    elif "\n## How to run" in text:
        text = text.replace("\n## How to run", f"\n{section}\n\n## How to run", 1)
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n"
    path.write_text(text)


def kept(path: Path) -> dict[str, str]:
    """The sections of their own the page holds now (name → body without marks)."""
    if not path.exists():
        return {}
    text = path.read_text()
    out = {}
    for name in KEPT_SECTIONS:
        section = section_of(text, name)
        if section:
            start, end = marks(name)
            out[name] = section[len(start) : -len(end)]
    return out
