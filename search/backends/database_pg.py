"""PostgreSQL text search for the database backend: the stored, weighted tsvector (`document`,
migration 0003), the `indonesian` stemmer with `simple` for names, `english` for English
searches, and pg_trgm for typos and as-you-type."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from search.backends.database_text import Concept

TABLE = "search_searchentry"
# Title A (Indonesian stems and the words as written, for names); category, shop, kecamatan and
# desa B; the English category label and title B in the `english` configuration; description C.
DOCUMENT_SQL = """
    setweight(to_tsvector('indonesian', title), 'A')
    || setweight(to_tsvector('simple', title), 'A')
    || setweight(to_tsvector('simple', concat_ws(' ', category_label, shop_name,
                                                kecamatan_label, desa)), 'B')
    || setweight(to_tsvector('indonesian', concat_ws(' ', category_label, shop_name)), 'B')
    || setweight(to_tsvector('english', concat_ws(' ', title, category_label_en)), 'B')
    || setweight(to_tsvector('indonesian', description), 'C')
"""
CANDIDATES = 60


class PostgresText:
    vendor = "postgresql"

    def after_write(self, product_ids: list[int]) -> None:
        # Computed here rather than by a trigger so the schema stays plain Django (portable).
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET document = {DOCUMENT_SQL} WHERE product_id = ANY(%s)",
                [list(product_ids)],
            )

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

    def _tsquery(self, concepts: list[Concept], language: str) -> str:
        configs = ["indonesian", "simple"] + (["english"] if language == "en" else [])
        parts, params = [], []
        for concept in concepts:
            ors = []
            for alternative in concept.alternatives:
                for config in configs:
                    ors.append(f"phraseto_tsquery('{config}', %s)")
                    params.append(alternative)
            parts.append("(" + " || ".join(ors) + ")::text")
        with connection.cursor() as cursor:
            cursor.execute("SELECT ARRAY[" + ", ".join(parts) + "]", params)
            texts = [t for t in cursor.fetchone()[0] if t]
        return " & ".join(f"({t})" for t in texts)

    def text_filter(
        self, entries: QuerySet, concepts: list[Concept], text: str, language: str
    ) -> QuerySet:
        tsquery = self._tsquery(concepts, language)
        if not tsquery:  # only stop words: nothing to match on
            return entries.none()
        matched = RawSQL(f"{TABLE}.document @@ %s::tsquery", [tsquery], output_field=BooleanField())
        # Cover density over the weighted vector, plus a boost for how closely the title
        # resembles what was typed (trigram word similarity).
        rank = RawSQL(
            f"ts_rank_cd('{{0.1, 0.2, 0.4, 1.0}}', {TABLE}.document, %s::tsquery)"
            f" + 0.5 * word_similarity(%s, {TABLE}.title)",
            [tsquery, text],
            output_field=FloatField(),
        )
        return entries.filter(matched).annotate(rank=rank)

    def like(self, column: str) -> str:
        return f"{column} ILIKE %s"
