"""On PostgreSQL the weighted tsvector becomes a generated column: PostgreSQL computes it in
the same write as the row, where the backend used to UPDATE every row it had just upserted,
leaving a dead copy of each (the entry table grew to three times its compacted size after a
reindex, and broad searches scanned all of it). The weights are those of migration 0003."""

from django.db import migrations

# concat_ws is only STABLE, so names are joined with || (the columns are NOT NULL).
DOCUMENT = """
    setweight(to_tsvector('indonesian'::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, category_label || ' ' || shop_name || ' '
                             || kecamatan_label || ' ' || desa), 'B')
    || setweight(to_tsvector('indonesian'::regconfig, category_label || ' ' || shop_name), 'B')
    || setweight(to_tsvector('english'::regconfig, title || ' ' || category_label_en), 'B')
    || setweight(to_tsvector('indonesian'::regconfig, description), 'C')
"""
FORWARD = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_searchentry ADD COLUMN document tsvector"
    f" GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "ALTER TABLE search_searchentry ADD COLUMN document tsvector",
    "CREATE INDEX search_entry_document_gin ON search_searchentry USING gin (document)",
    f"UPDATE search_searchentry SET document = {DOCUMENT}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_entry_page_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
