"""The text-search structures of the database backend, which Django's model layer does not
describe: on PostgreSQL a stored tsvector column with a GIN index and pg_trgm trigram indexes on
title and shop name; on SQLite an FTS5 table with the trigram tokenizer. Each is created only on
its own database (search.backends.database keeps them in step when it writes entries)."""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchentry ADD COLUMN document tsvector",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
    "CREATE INDEX search_entry_title_trgm ON search_searchentry USING gin (title gin_trgm_ops)",
    "CREATE INDEX search_entry_shop_trgm ON search_searchentry USING gin (shop_name gin_trgm_ops)",
    "CREATE INDEX search_entry_kecamatan_trgm ON search_searchentry"
    " USING gin (kecamatan_label gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_kecamatan_trgm",
    "DROP INDEX IF EXISTS search_entry_shop_trgm",
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]
SQLITE_FORWARD = [
    # rowid = product_id. title, names (category, shop, kecamatan, desa), description, and the
    # English category label (matched only for English searches).
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title, names, description, english, tokenize='trigram')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_entries")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
