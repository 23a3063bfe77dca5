"""PostgreSQL text search for the database backend: the stored, weighted tsvector (`document`,
migration 0003), the `indonesian` stemmer with `simple` for names, `english` for English
searches, and pg_trgm for typos and as-you-type."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database_text import Concept

TABLE = "search_searchentry"
# The weighted `document` (title A; category, shop, kecamatan, desa B; English B; description C)
# is a generated column: search/migrations/0006_entry_document_generated.py.
CANDIDATES = 60


class PostgresText:
    vendor = "postgresql"

    def after_write(self, product_ids: list[int]) -> None:
        """Nothing: `document` is a generated column (migration 0006), written with the row."""

    def after_rebuild(self) -> None:
        """After a whole reindex: every upsert left a dead row version behind, and the planner's
        statistics predate the load. VACUUM (outside any transaction) reclaims the one and
        ANALYZE renews the other; measured, search p95 was 245 ms before and 82 ms after on a
        rebuilt index of 100,000 entries (docs/benchmarks.md)."""
        if connection.in_atomic_block:
            return  # tests wrap everything in a transaction, where VACUUM cannot run
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {TABLE}, search_searchentryday")

    def before_remove(self, product_ids: list[int]) -> None:
        """The vector lives in the entry's own row: nothing else to remove."""

    def known_words(self, word: str) -> list[str]:
        """Texts of entries whose title, shop or kecamatan is trigram-near `word` (word_similarity
        above pg_trgm's threshold, through the GIN indexes)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT concat_ws(' ', title, shop_name, kecamatan_label, category_label)"
                f" FROM {TABLE} WHERE %s <%% title OR %s <%% shop_name"
                f" OR %s <%% kecamatan_label LIMIT {CANDIDATES}",
                [word, word, word],
            )
            return [row[0] for row in cursor.fetchall()]

    def _tsquery(self, concepts: list[Concept], language: str, joiner: str = " & ") -> str:
        """The tsquery text, in one round trip: each concept any of its alternatives, in each
        configuration (PostgreSQL stems them); the concepts all required."""
        configs = ["indonesian", "simple"] + (["english"] if language == "en" else [])
        calls, params, sizes = [], [], []
        for position, concept in enumerate(concepts, 1):
            sizes.append(len(concept.alternatives) * len(configs))
            for alternative in concept.alternatives:
                for config in configs:
                    calls.append(f"phraseto_tsquery('{config}', %s)::text")
                    params.append(alternative)
            if position == len(concepts) and not concept.is_synonym_group:
                # The last word may be half typed ("kop" while typing kopi): also as a prefix,
                # as SQLite's trigrams find it.
                word = concept.original
                if word.isalnum() and len(word) >= 2:
                    sizes[-1] += 1
                    calls.append("to_tsquery('simple', quote_literal(%s) || ':*')::text")
                    params.append(word)
        with connection.cursor() as cursor:
            cursor.execute("SELECT ARRAY[" + ", ".join(calls) + "]", params)
            flat = cursor.fetchone()[0]
        # The configurations often agree ('ulos' twice): each alternative once keeps the query
        # short and the planner's estimate sane.
        texts, start = [], 0
        for size in sizes:
            unique = list(dict.fromkeys(t for t in flat[start : start + size] if t))
            start += size
            if unique:
                texts.append(" | ".join(f"({t})" for t in unique))
        return joiner.join(f"({t})" for t in texts)

    def text_filter(
        self,
        entries: QuerySet,
        concepts: list[Concept],
        text: str,
        language: str,
        *,
        any_concept: bool = False,
    ) -> tuple[QuerySet, RawSQL]:
        tsquery = self._tsquery(concepts, language, " | " if any_concept else " & ")
        if not tsquery:  # only stop words: nothing to match on
            return entries.none(), RawSQL("0.0", [], output_field=FloatField())
        matched = RawSQL(f"{TABLE}.document @@ %s::tsquery", [tsquery], output_field=BooleanField())
        # ts_rank over the weighted vector: a title match (A) counts 2.5 times a name (B) and 5
        # times the description (C); normalised by length (1) so a concise title wins. Not
        # ts_rank_cd: cover density reads positions and was 3.5 times slower over 25,000
        # matches at 100,000 entries, for no gain on documents this short.
        rank = RawSQL(
            f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {TABLE}.document, %s::tsquery, 1)",
            [tsquery],
            output_field=FloatField(),
        )
        return entries.filter(matched), rank

    def ranked_page(self, selected: QuerySet, offset: int, limit: int) -> list[int] | None:
        """None: PostgreSQL orders by the rank expression in the page query itself."""
        return None

    def like(self, column: str) -> str:
        return f"{column} ILIKE %s"

    def prefix_key(self, column: str) -> str:
        """Byte order, so LIKE 'ul%' is a range scan of the index migration 0004 makes."""
        return f'lower({column}) COLLATE "C"'
