"""Full-text search (evidence.search): on PostgreSQL, the events' search vector (a generated column) and the documents'
pages with theirs, each with a GIN index (evidence_searchpage, written by a trigger); on SQLite, FTS5 tables kept current by triggers."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# evidence.search.postgres.EventVector: a stored generated column, with its GIN index. A description is indexed up to
# 100,000 characters: a tsvector over ~1 MB would fail the event's save.
EVENT_VECTOR = """
ALTER TABLE evidence_event ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(left(description, 100000), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(source_note, '')), 'C')
) STORED;
CREATE INDEX event_search_vector ON evidence_event USING gin (search_vector);
"""
DROP_EVENT_VECTOR = "ALTER TABLE evidence_event DROP COLUMN IF EXISTS search_vector;"

PAGES = r"""
CREATE TABLE evidence_searchpage (
    id bigserial PRIMARY KEY,
    document_id bigint NOT NULL,
    page integer NOT NULL,
    part integer NOT NULL,
    body text NOT NULL,
    vector tsvector NOT NULL
);
CREATE INDEX evidence_searchpage_vector ON evidence_searchpage USING gin (vector);
CREATE INDEX evidence_searchpage_document ON evidence_searchpage (document_id, page, part);

-- Page 0: the title (weight A), file name and Bates numbers; pages 1, 2...: the text between form feeds (a PDF's
-- page breaks, evidence.files), each cut in parts of 50,000 characters, well under a tsvector's 1 MB.
CREATE FUNCTION evidence_searchpage_write(doc_id bigint, title text, filename text, bates_start text,
                                          bates_end text, body text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    page_text text;
    page_no integer := 0;
    part_no integer;
    chunk text;
BEGIN
    DELETE FROM evidence_searchpage WHERE document_id = doc_id;
    INSERT INTO evidence_searchpage (document_id, page, part, body, vector)
    VALUES (doc_id, 0, 0, concat_ws(' · ', title, filename, nullif(bates_start, ''), nullif(bates_end, '')),
            setweight(to_tsvector('english', coalesce(title, '')), 'A')
            || to_tsvector('english', concat_ws(' ', filename, bates_start, bates_end)));
    IF coalesce(body, '') = '' THEN
        RETURN;
    END IF;
    FOREACH page_text IN ARRAY string_to_array(body, E'\f') LOOP
        page_no := page_no + 1;
        part_no := 0;
        LOOP
            chunk := substr(page_text, part_no * 50000 + 1, 50000);
            EXIT WHEN chunk = '';
            INSERT INTO evidence_searchpage (document_id, page, part, body, vector)
            VALUES (doc_id, page_no, part_no, chunk, to_tsvector('english', chunk));
            part_no := part_no + 1;
        END LOOP;
    END LOOP;
END $$;

CREATE FUNCTION evidence_document_search_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM evidence_searchpage_write(NEW.id, NEW.title, NEW.original_filename, NEW.bates_start, NEW.bates_end,
                                      NEW.extracted_text);
    RETURN NULL;
END $$;
CREATE FUNCTION evidence_document_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM evidence_searchpage WHERE document_id = OLD.id;
    RETURN NULL;
END $$;
CREATE FUNCTION evidence_document_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE evidence_searchpage;
    RETURN NULL;
END $$;

CREATE TRIGGER evidence_document_search_insert AFTER INSERT ON evidence_document
    FOR EACH ROW EXECUTE FUNCTION evidence_document_search_write();
CREATE TRIGGER evidence_document_search_update AFTER UPDATE ON evidence_document FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.original_filename IS DISTINCT FROM NEW.original_filename
          OR OLD.bates_start IS DISTINCT FROM NEW.bates_start OR OLD.bates_end IS DISTINCT FROM NEW.bates_end
          OR OLD.extracted_text IS DISTINCT FROM NEW.extracted_text)
    EXECUTE FUNCTION evidence_document_search_write();
CREATE TRIGGER evidence_document_search_delete AFTER DELETE ON evidence_document
    FOR EACH ROW EXECUTE FUNCTION evidence_document_search_delete();
-- Django's flush (tests) truncates the tables it manages, and this one is not among them.
CREATE TRIGGER evidence_document_search_truncate AFTER TRUNCATE ON evidence_document
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_document_search_truncate();

SELECT evidence_searchpage_write(id, title, original_filename, bates_start, bates_end, extracted_text)
FROM evidence_document;
"""

DROP_PAGES = """
DROP TRIGGER IF EXISTS evidence_document_search_insert ON evidence_document;
DROP TRIGGER IF EXISTS evidence_document_search_update ON evidence_document;
DROP TRIGGER IF EXISTS evidence_document_search_delete ON evidence_document;
DROP TRIGGER IF EXISTS evidence_document_search_truncate ON evidence_document;
DROP FUNCTION IF EXISTS evidence_document_search_write();
DROP FUNCTION IF EXISTS evidence_document_search_delete();
DROP FUNCTION IF EXISTS evidence_document_search_truncate();
DROP FUNCTION IF EXISTS evidence_searchpage_write(bigint, text, text, text, text, text);
DROP TABLE IF EXISTS evidence_searchpage;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PAGES)
        schema_editor.execute(EVENT_VECTOR)
    elif schema_editor.connection.vendor == "sqlite":
        from evidence.search import sqlite

        with schema_editor.connection.cursor() as cursor:
            sqlite.ensure_index(cursor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_EVENT_VECTOR)
        schema_editor.execute(DROP_PAGES)
    elif schema_editor.connection.vendor == "sqlite":
        from evidence.search import sqlite

        with schema_editor.connection.cursor() as cursor:
            sqlite.drop_index(cursor)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0016_history_link_matter_without_db_constraint"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchPage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page", models.PositiveIntegerField()),
                ("part", models.PositiveIntegerField()),
                ("body", models.TextField()),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                (
                    "document",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="search_pages",
                        to="evidence.document",
                    ),
                ),
            ],
            options={"db_table": "evidence_searchpage", "managed": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]
