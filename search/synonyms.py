"""The editors' synonym list, read by both backends: cached, and re-read when it changes."""

from __future__ import annotations

from django.core.cache import caches
from django.utils.connection import ConnectionProxy

CACHE_KEY = "search:synonyms:v1"
# The default cache is per process (locmem); an editor's change must reach every web and worker
# process, so the list lives in the cache the API throttles share (Redis, or files).
cache = ConnectionProxy(caches, "throttle")

# The list seed_demo and the first migration start from; editors change it in the admin.
DEFAULT_GROUPS: tuple[tuple[str, str], ...] = (
    ("ulos, kain tenun, tenun, songket", "ulos: Batak hand-woven cloth"),
    ("kopi, coffee", ""),
    ("homestay, penginapan, guest house, losmen", ""),
    ("perahu, kapal, boat", ""),
    ("oleh-oleh, souvenir, cendera mata", ""),
    ("andaliman, batak pepper", "andaliman: Batak pepper, a citrusy spice"),
    ("arsik, ikan mas arsik", "arsik: carp cooked with andaliman, a Batak dish"),
    ("mie gomak, mi gomak, batak spaghetti", "mie gomak: thick Batak noodles"),
    ("dali ni horbo, keju batak", "dali ni horbo: Batak buffalo-milk curd"),
    ("danau, lake", ""),
    ("air terjun, waterfall", ""),
    ("wisata, tour, trip", ""),
    ("tur, tour", ""),
    ("kelas, class, workshop, kursus", ""),
    ("menenun, weaving", ""),
    ("kebun, farm, plantation", ""),
)


def synonym_groups() -> list[list[str]]:
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from search.models import SynonymGroup

        groups = [g.term_list() for g in SynonymGroup.objects.all()]
        groups = [g for g in groups if len(g) > 1]
        cache.set(CACHE_KEY, groups, 300)
    return groups


def forget() -> None:
    cache.delete(CACHE_KEY)


def expand(text: str) -> list[str]:
    """The phrases that mean the same as `text`'s words: each group any word or phrase of the
    text belongs to, once. "kain tenun balige" → ["ulos", "kain tenun", "tenun", "songket"]."""
    lowered = f" {' '.join(text.lower().split())} "
    found: list[str] = []
    for group in synonym_groups():
        if any(f" {term} " in lowered for term in group):
            found.extend(t for t in group if t not in found)
    return found
