"""Scoring a relevance set: queries with the product slugs a person would want in the top 5,
run through the search interface and scored by precision at 5 (the figure the issue holds),
recall at 5 and the reciprocal rank of the first relevant hit.

Used by tests/search/test_relevance.py (which holds the mean) and bench/relevance.py (which
prints every query's score). The set itself is tests/search/relevance_set.json."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

from search.query import parse_query

K = 5


@dataclass(frozen=True)
class Case:
    query: str
    language: str
    group: str
    relevant: frozenset[str]
    note: str = ""


@dataclass(frozen=True)
class Score:
    case: Case
    ranked: tuple[str, ...]  # the slugs of the first page, best first
    count: int  # how many the backend found in all

    @property
    def top(self) -> tuple[str, ...]:
        return self.ranked[:K]

    @property
    def found(self) -> int:
        return sum(1 for slug in self.top if slug in self.case.relevant)

    @property
    def precision(self) -> float:
        """Relevant found in the top 5 ÷ min(5, how many are relevant): 1.0 when the top 5 are
        as good as they can be, however few relevant products there are."""
        return self.found / min(K, len(self.case.relevant))

    @property
    def recall(self) -> float:
        return self.found / len(self.case.relevant)

    @property
    def reciprocal_rank(self) -> float:
        for rank, slug in enumerate(self.ranked, start=1):
            if slug in self.case.relevant:
                return 1.0 / rank
        return 0.0

    @property
    def misses(self) -> tuple[str, ...]:
        """What took a top-5 place without being relevant."""
        return tuple(slug for slug in self.top if slug not in self.case.relevant)


def load(path: Path) -> list[Case]:
    data = json.loads(Path(path).read_text())
    return [
        Case(
            query=row["query"],
            language=row.get("language", "id"),
            group=row.get("group", ""),
            relevant=frozenset(row["relevant"]),
            note=row.get("note", ""),
        )
        for row in data["queries"]
    ]


def run(cases: Iterable[Case], search: Callable) -> list[Score]:
    """Each case through `search` (search.backends.search, or one backend's search): the query
    read by parse_query, as the page and the API read it."""
    scores = []
    for case in cases:
        results = search(parse_query({"q": case.query}, language=case.language))
        scores.append(Score(case, tuple(hit.slug for hit in results.hits), results.count))
    return scores


@dataclass(frozen=True)
class Summary:
    queries: int  # scored: those with relevant products
    precision: float
    recall: float
    mrr: float
    by_group: dict[str, float]  # mean precision at 5 per group
    unscored: tuple[Score, ...]  # cases whose right answer is nothing (a place outside Toba)


def summarise(scores: list[Score]) -> Summary:
    scored = [s for s in scores if s.case.relevant]
    groups: dict[str, list[float]] = {}
    for s in scored:
        groups.setdefault(s.case.group, []).append(s.precision)
    return Summary(
        queries=len(scored),
        precision=mean(s.precision for s in scored),
        recall=mean(s.recall for s in scored),
        mrr=mean(s.reciprocal_rank for s in scored),
        by_group={g: mean(v) for g, v in sorted(groups.items())},
        unscored=tuple(s for s in scores if not s.case.relevant),
    )
