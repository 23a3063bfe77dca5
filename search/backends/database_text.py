"""Words, for the database backend: the query read into concepts (a synonym group or one word,
each of which a hit must match), a light Indonesian stemmer, an edit distance for typos, and the
<mark> highlighter. Pure Python, the same on PostgreSQL and SQLite."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape

from search.synonyms import synonym_groups

WORD_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
# Inflectional suffixes only: stripping prefixes (me-, pe-, ber-) changes the root's first
# letter in Indonesian and would need a real stemmer (PostgreSQL's `indonesian` has one).
SUFFIXES = ("nya", "lah", "kah", "kan", "an")
MIN_STEM = 4
SNIPPET_CHARS = 160
# Words too common to require ("kain DARI balige", "ulos YANG murah"): PostgreSQL's `indonesian`
# drops them, but its `simple` configuration and SQLite's trigrams would demand them.
STOP_WORDS = frozenset(
    [
        "ada",
        "adalah",
        "akan",
        "atau",
        "bisa",
        "dalam",
        "dan",
        "dari",
        "dengan",
        "di",
        "ini",
        "itu",
        "jual",
        "juga",
        "ke",
        "karena",
        "lagi",
        "mau",
        "oleh",
        "pada",
        "saya",
        "sangat",
        "se",
        "sudah",
        "tidak",
        "untuk",
        "yang",
        "a",
        "an",
        "and",
        "at",
        "for",
        "in",
        "of",
        "on",
        "the",
        "to",
        "with",
    ]
)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def light_stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein with adjacent transpositions ("ulso" is one step from "ulos"); stops early
    past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def closest_word(word: str, known: set[str]) -> str:
    """The known word nearest `word` within its allowed typos, "" when none is."""
    limit = allowed_typos(word)
    best, best_distance = "", limit + 1
    for candidate in sorted(known):
        if len(candidate) < 3 or candidate == word:
            continue
        distance = edit_distance(word, candidate, limit)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


@dataclass
class Concept:
    """Something every hit must match: any one of `alternatives` (phrases)."""

    original: str  # the user's word or phrase, as typed
    alternatives: list[str] = field(default_factory=list)
    correction: str = ""  # a typo's correction (for did_you_mean)
    known: bool = False  # an indexed title, shop or place has the word (or its stem)
    is_synonym_group: bool = False


def concepts_for(text: str) -> list[Concept]:
    """ "homestay balige" → [any of homestay/penginapan/guest house/losmen] and [balige]. The
    synonym phrases are matched as search.synonyms.expand matches them (whole words)."""
    lowered = f" {' '.join(words(text))} "
    found: list[Concept] = []
    for group in synonym_groups():
        present = [term for term in group if f" {term} " in lowered]
        if not present:
            continue
        for term in sorted(present, key=len, reverse=True):
            lowered = lowered.replace(f" {term} ", " ")
        found.append(Concept(original=present[0], alternatives=list(group), is_synonym_group=True))
    remaining = lowered.split()
    meaningful = [w for w in remaining if w not in STOP_WORDS]
    if meaningful or found:  # only stop words ("di"): then they are what was asked
        remaining = meaningful
    for word in remaining:
        found.append(Concept(original=word, alternatives=[word]))
    return found


def group_of(word: str) -> list[str]:
    for group in synonym_groups():
        if word in group:
            return list(group)
    return []


def correct(concepts: list[Concept], known_words: dict[str, set[str]]) -> None:
    """Forgive typos: a word that no indexed title, shop or place contains (nor its stem) gets
    its closest known word as an alternative, with that word's synonyms ("kopii" → kopi,
    coffee). `known_words` maps each word to the words of the entries trigram-near it."""
    for concept in concepts:
        if concept.is_synonym_group or concept.original not in known_words:
            continue
        word = concept.original
        known = known_words[word]
        stems = {light_stem(w) for w in known}
        if word in known or light_stem(word) in stems or any(w.startswith(word) for w in known):
            concept.known = True
            continue
        nearest = closest_word(word, known)
        if nearest:
            concept.correction = nearest
            for alternative in group_of(nearest) or [nearest]:
                if alternative not in concept.alternatives:
                    concept.alternatives.append(alternative)


def highlight_terms(concepts: list[Concept]) -> list[str]:
    terms: set[str] = set()
    for concept in concepts:
        for phrase in [concept.original, *concept.alternatives]:
            for word in words(phrase):
                if len(word) >= 2:
                    terms.update({word, light_stem(word)})
    return sorted(terms, key=len, reverse=True)


def _marked(text: str, pattern: re.Pattern) -> tuple[str, int]:
    out, last, count = [], 0, 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last, count = match.end(), count + 1
    out.append(escape(text[last:]))
    return "".join(out), count


def highlight(title: str, description: str, terms: list[str]) -> str:
    """An HTML-safe snippet: the description around its first match (or the title when only the
    title matches), escaped, with each matched word in <mark>."""
    description = " ".join(description.split())
    if not terms:
        return escape(description[:SNIPPET_CHARS])
    # A term matches at the start of a word and takes the rest of it ("tenun" in "tenunan").
    pattern = re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE
    )
    first = pattern.search(description)
    if first:
        start = max(0, first.start() - SNIPPET_CHARS // 3)
        if start:
            space = description.find(" ", start)
            start = space + 1 if 0 <= space < first.start() else start
        window = description[start : start + SNIPPET_CHARS]
        marked, _ = _marked(window, pattern)
        return (
            ("…" if start else "")
            + marked
            + ("…" if start + SNIPPET_CHARS < len(description) else "")
        )
    marked, count = _marked(title, pattern)
    if count:
        return marked
    return escape(description[:SNIPPET_CHARS])
