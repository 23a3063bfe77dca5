"""Every search, on the page and through the API (not suggestions), is counted in
SearchQueryLog: text, normalized text, filters, result count, time, language, source. A failed
write never fails the search."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from search import synonyms
from search.models import SearchQueryLog
from tests.search.test_search_page import catalog  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms.forget()
    yield
    synonyms.forget()


def test_a_page_search_is_counted(client, catalog):  # noqa: F811
    response = client.get("/search/?q=++Ulos++Ragidup&kecamatan=balige&min_price=1000")
    assert response.status_code == 200
    log = SearchQueryLog.objects.get()
    assert (log.text, log.normalized) == ("Ulos  Ragidup", "ulos ragidup")
    assert log.filters == {"kecamatan": "balige", "min_price": 1000}
    assert log.result_count == response.context["results"].count == 1
    assert (log.language, log.source) == ("id", "page")
    assert 0 <= log.took_ms < 10_000


def test_an_api_search_is_counted_in_its_language(client, catalog):  # noqa: F811
    body = client.get("/api/v1/search/", {"q": "zzqq tidak ada", "language": "en"}).json()
    log = SearchQueryLog.objects.get()
    assert (log.normalized, log.result_count, body["count"]) == ("zzqq tidak ada", 0, 0)
    assert (log.language, log.source, log.filters) == ("en", "api", {})


def test_english_page_searches_say_so(client, catalog):  # noqa: F811
    client.get("/en/search/?q=coffee&kind=goods")
    log = SearchQueryLog.objects.get()
    assert (log.language, log.filters, log.result_count) == ("en", {"kind": "goods"}, 1)


def test_suggestions_refusals_and_empty_visits_are_not_counted(client, catalog):  # noqa: F811
    client.get("/api/v1/search/suggest/?q=ul")
    client.get("/search/?q=ulos&sort=cheapest")  # refused: no search ran
    client.get("/api/v1/search/?q=ulos&date=besok")
    client.get("/search/")  # no words, no filter: not a search
    assert SearchQueryLog.objects.count() == 0


def test_a_failed_write_never_fails_the_search(client, catalog, monkeypatch, caplog):  # noqa: F811
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(SearchQueryLog.objects, "create", broken)
    page = client.get("/search/?q=ulos")
    api = client.get("/api/v1/search/?q=ulos")
    assert page.status_code == api.status_code == 200
    assert page.context["results"].count == api.json()["count"] == 2
    assert "search query log write failed" in caplog.text
    monkeypatch.undo()
    assert SearchQueryLog.objects.count() == 0
    # The connection is still usable after the failed write (it was in a savepoint).
    client.get("/search/?q=kopi")
    assert SearchQueryLog.objects.get().normalized == "kopi"
