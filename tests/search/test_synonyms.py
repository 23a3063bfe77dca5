"""The editors' synonym list, as both backends read it."""

import pytest

from search import synonyms
from search.models import SynonymGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    synonyms.forget()
    yield
    synonyms.forget()


def test_the_first_list_holds_the_local_words():
    groups = synonyms.synonym_groups()
    assert ["kopi", "coffee"] in groups
    assert any("andaliman" in group for group in groups)


def test_a_phrase_expands_to_its_group():
    assert synonyms.expand("Kain  Tenun balige")[:2] == ["ulos", "kain tenun"]
    assert "penginapan" in synonyms.expand("homestay balige")
    assert synonyms.expand("sepeda") == []


def test_an_editors_change_applies_once_the_cache_is_forgotten():
    SynonymGroup.objects.create(terms="sepeda, bike, bicycle")
    synonyms.forget()
    assert synonyms.expand("sewa sepeda") == ["sepeda", "bike", "bicycle"]
