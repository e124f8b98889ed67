"""Search documents and their GIN indexes (timeline/search.py), on PostgreSQL only.

Each searched table gets `search_document`, a stored generated tsvector column (weights:
a title A, a quoted sentence or a place B, a body or a summary C), and a GIN index on it.
Stored rather than an expression index because ranking and snippets need the vector of
every match: recomputed from the text, a one-letter search on 10,000 claims spent seconds
in to_tsvector (bench/search.py); stored, it is computed once, when a row is written.

PostgreSQL computes the column on every INSERT and UPDATE, so every write path (ingest,
admin, bulk inserts) keeps it right. The models do not declare it (SQLite has no tsvector),
so the operations below do nothing on SQLite and stay out of the migration state, and
`makemigrations --check` stays clean. One consequence: PostgreSQL refuses to change the
type of a column a generated column reads (events' title, place, summary; claims'
sentence; reports' title, body). A migration that alters one must drop the search column
first and add it back after (copy the SQL below).
"""

from django.db import migrations


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL; nothing elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def document(table, index, expression):
    return RunSQLOnPostgreSQL(
        sql=[
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED",
            f"CREATE INDEX {index} ON {table} USING gin (search_document)",
        ],
        reverse_sql=[f"ALTER TABLE {table} DROP COLUMN search_document"],
    )


# A tsvector holds at most 1 MB: a report at the size limit (articles.reports,
# MAX_REPORT_CHARS) made of distinct words would exceed it and its INSERT would fail. Each
# text is searched in its first SEARCHED_CHARS characters, which keeps any row well under.
SEARCHED_CHARS = 200_000


def weighted(column, weight):
    text = f"left(COALESCE({column}, ''), {SEARCHED_CHARS})"
    return f"setweight(to_tsvector('english'::regconfig, {text}), '{weight}')"


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0005_season_precision"),
        ("articles", "0008_figures_help_text_and_context_dates"),
    ]

    operations = [
        document(
            "timeline_event",
            "search_event_document",
            " || ".join([weighted("title", "A"), weighted("place", "B"), weighted("summary", "C")]),
        ),
        document("articles_claim", "search_claim_document", weighted("sentence", "B")),
        document(
            "articles_article",
            "search_report_document",
            " || ".join([weighted("title", "A"), weighted("body", "C")]),
        ),
    ]
