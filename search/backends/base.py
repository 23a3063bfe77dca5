"""The one interface both backends implement."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from search.documents import ProductDocument
from search.query import SearchQuery
from search.results import SearchResults, Suggestion


class SearchBackendUnavailable(RuntimeError):
    """The backend cannot answer now (a cluster away): the caller falls back to the database."""


class SearchBackend(Protocol):
    name: str

    def search(self, query: SearchQuery) -> SearchResults: ...

    def suggest(self, text: str, *, language: str = "id", limit: int = 8) -> list[Suggestion]: ...

    def index(self, documents: Iterable[ProductDocument]) -> int:
        """Add or replace these documents; returns how many were written."""
        ...

    def remove(self, product_ids: Iterable[int]) -> int: ...

    def synonyms_changed(self) -> None:
        """The editors' synonym list changed: apply it without a redeploy."""
        ...
