"""Search in the Wagtail admin: Diskominfo's reports of the top queries and the top zero-result
queries of the last 30 days (editors only), and the synonym list as a snippet whose changes
reach the backends at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from marketplace.demo.accounts import EDITOR_GROUPS, grant_editor_permissions
from search import receivers, synonyms
from search.models import SearchQueryLog, SynonymGroup
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

TOP = "/cms-admin/laporan-pencarian/"
ZERO = "/cms-admin/laporan-pencarian/tanpa-hasil/"
SYNONYMS = "/cms-admin/snippets/search/synonymgroup/"


@pytest.fixture(autouse=True)
def fresh_synonyms():
    synonyms.forget()  # the list is cached in the shared cache, across tests too
    yield
    synonyms.forget()


@pytest.fixture
def editor_client(client):
    grant_editor_permissions()
    editor = UserFactory(email="editor@pasar.test")
    editor.groups.add(*Group.objects.filter(name__in=EDITOR_GROUPS))
    client.force_login(editor)
    return client


def searched(text: str, *, results: int, times: int = 1, days_ago: int = 0) -> None:
    for _ in range(times):
        log = SearchQueryLog.objects.create(
            text=text,
            normalized=" ".join(text.lower().split()),
            result_count=results,
            took_ms=5,
        )
        if days_ago:
            SearchQueryLog.objects.filter(pk=log.pk).update(
                searched_at=timezone.now() - timedelta(days=days_ago)
            )


@pytest.fixture
def searches():
    searched("ulos", results=12, times=3)
    searched("Ulos ", results=12)  # the same query, written differently
    searched("kopi", results=4, times=2)
    searched("sepeda", results=0, times=2)
    searched("rafting", results=0)
    searched("durian", results=0, times=9, days_ago=31)  # too old for the report


def rows(html: str, *keywords: str) -> list[str]:
    """The keywords in the order the table's cells list them."""
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
    return [c for c in cells if c in keywords]


def test_an_editor_reads_the_top_queries_of_the_last_30_days(editor_client, searches):
    response = editor_client.get(TOP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pencarian teratas (30 hari terakhir)" in html
    assert rows(html, "ulos", "kopi", "sepeda", "rafting", "durian") == [
        "ulos",
        "kopi",
        "sepeda",
        "rafting",
    ]
    table = list(response.context["object_list"])
    assert [(r["normalized"], r["searches"], r["zero_results"]) for r in table] == [
        ("ulos", 4, 0),
        ("kopi", 2, 0),
        ("sepeda", 2, 2),
        ("rafting", 1, 1),
    ]


def test_an_editor_reads_the_top_zero_result_queries(editor_client, searches):
    response = editor_client.get(ZERO)
    assert response.status_code == 200
    table = [(r["normalized"], r["searches"]) for r in response.context["object_list"]]
    assert table == [("sepeda", 2), ("rafting", 1)]


def test_the_report_exports_as_a_spreadsheet(editor_client, searches):
    response = editor_client.get(ZERO + "?export=csv")
    assert response.status_code == 200
    text = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )
    lines = text.strip().splitlines()
    assert lines[0].startswith("Kata kunci,Jumlah pencarian,Tanpa hasil")
    assert [line.split(",")[:2] for line in lines[1:]] == [["sepeda", "2"], ["rafting", "1"]]
    assert "pencarian-tanpa-hasil" in response["Content-Disposition"]


def test_the_reports_are_in_the_reports_menu_for_editors(editor_client):
    html = editor_client.get("/cms-admin/").content.decode()
    assert "search-top-queries" in html and "search-zero-result-queries" in html


def test_a_seller_is_refused_and_a_stranger_sent_to_log_in(client, searches):
    seller = UserFactory(email="seller@pasar.test")
    ShopFactory(owner=seller)
    client.force_login(seller)
    for url in (TOP, ZERO, SYNONYMS):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert b"sepeda" not in response.content
        if response.status_code == 302:
            assert "/login" in response["Location"] or response["Location"] == "/cms-admin/"
    client.logout()
    for url in (TOP, ZERO, SYNONYMS):
        response = client.get(url)
        assert response.status_code == 302
        assert "/cms-admin/login/" in response["Location"]


def test_an_admin_user_outside_the_editor_groups_is_refused(client, searches):
    """Admin access alone is not enough: the report is for Editors and Moderators."""
    from django.contrib.auth.models import Permission

    user = UserFactory(email="other@pasar.test")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(TOP)
    assert response.status_code in (302, 403)
    assert b"sepeda" not in response.content


def test_an_editor_lists_and_changes_the_synonyms(
    editor_client, django_capture_on_commit_callbacks, monkeypatch
):
    applied = []
    monkeypatch.setattr(
        receivers,
        "backends_to_index",
        lambda: [
            type("B", (), {"name": "fake", "synonyms_changed": lambda self: applied.append("x")})()
        ],
    )
    listing = editor_client.get(SYNONYMS)
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "andaliman, batak pepper" in html and "andaliman: Batak pepper" in html
    assert "Sinonim pencarian" in html

    assert synonyms.expand("sewa sepeda") == []  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            SYNONYMS + "add/", {"terms": "sepeda, bike, bicycle", "gloss_en": ""}
        )
    assert response.status_code == 302
    assert synonyms.expand("sewa sepeda") == ["sepeda", "bike", "bicycle"]
    assert applied == ["x"]

    group = SynonymGroup.objects.get(terms="sepeda, bike, bicycle")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"{SYNONYMS}delete/{group.pk}/")
    assert response.status_code == 302
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    assert synonyms.expand("sewa sepeda") == []
    assert applied == ["x", "x"]


def test_a_backend_that_cannot_apply_the_synonyms_does_not_fail_the_save(
    django_capture_on_commit_callbacks, monkeypatch
):
    class Away:
        name = "elasticsearch"

        def synonyms_changed(self):
            raise ConnectionError("cluster away")

    monkeypatch.setattr(receivers, "backends_to_index", lambda: [Away()])
    with django_capture_on_commit_callbacks(execute=True):
        SynonymGroup.objects.create(terms="sepeda, bike")
    assert synonyms.expand("sepeda") == ["sepeda", "bike"]


@pytest.mark.parametrize("url", [TOP, ZERO, SYNONYMS, SYNONYMS + "add/"])
def test_the_screens_read_indonesian(editor_client, searches, url):
    from tests.marketplace.test_admin_indonesian import ENGLISH, visible_text

    response = editor_client.get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert [word for word in ENGLISH if word in text] == []
    if url in (TOP, ZERO):
        assert "Unduh XLSX" in text and "Unduh CSV" in text and "Jumlah pencarian" in text
