"""Full-text search on SQLite: FTS5 tables over events, documents, issues and actors (made by the search migration).

Each FTS5 table is an index of its model's own table ("external content": the text is not stored twice), kept current
by triggers on that table, for the same reason as PostgreSQL's page table: text reaches these rows by more paths than
the services (the background text reader's and OCR's UPDATE, an archive's restore, a bulk import).
No stemming (FTS5's porter tokenizer indexes stems, and then a prefix longer than a word's stem, "genera*" for
"generative", finds nothing): words match as written, and a prefix finds their other forms (consent*).
"""

from django.db import connection
from django.db.models import Expression, F, FloatField
from django.db.models.expressions import RawSQL

from evidence.search import snippets
from evidence.search.query import Term

EVENT_FTS = "evidence_event_fts"
DOCUMENT_FTS = "evidence_document_fts"
ISSUE_FTS = "evidence_issue_fts"
ACTOR_FTS = "evidence_actor_fts"
# Columns of the document index, in order (highlight() and bm25() take their positions).
DOCUMENT_COLUMNS = ("title", "original_filename", "bates_start", "bates_end", "extracted_text")
EVENT_WEIGHTS = (10.0, 4.0, 2.0)  # title, description, source note
DOCUMENT_WEIGHTS = (4.0, 1.0, 1.0, 1.0, 1.0)


def match(term: Term) -> str:
    """The term as an FTS5 query: a quoted string (FTS5's tokenizer splits it into a phrase, so nothing the user typed
    is read as FTS5 syntax), `*` after it for a prefix."""
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + "*" if term.prefix else quoted


def match_any(terms) -> str:
    return " OR ".join(match(term) for term in terms)


def _ids(table: str, term: Term) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match(term)])


def event_ids(term: Term):
    return _ids(EVENT_FTS, term)


def document_ids(term: Term):
    return _ids(DOCUMENT_FTS, term)


def issue_ids(term: Term):
    return _ids(ISSUE_FTS, term)


def actor_ids(term: Term):
    return _ids(ACTOR_FTS, term)


class _Score(Expression):
    """A correlated subquery giving the best (highest) score of the row `pk` in an FTS5 table, or NULL; `through`
    reaches that row through another table (an event's citations). The matches are scored once per statement, in a
    materialized CTE: bm25() is refused in a join, and a MATCH per row would run the search once per row. bm25 is
    lower-is-better, hence negated."""

    output_field = FloatField()

    def __init__(self, table, weights, query, through=None):
        super().__init__()
        self.table, self.weights, self.query, self.through = table, weights, query, through
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        weights = ", ".join(str(w) for w in self.weights)
        table = self.table
        scored = (f"WITH scored AS MATERIALIZED (SELECT rowid AS id, -bm25({table}, {weights}) AS score "
                  f"FROM {table} WHERE {table} MATCH %s)")  # fmt: skip
        if self.through:
            join, column = self.through
            sql = (f"({scored} SELECT max(scored.score) FROM scored JOIN {join} ON {join}.document_id = scored.id "
                   f"WHERE {join}.{column} = {pk_sql})")  # fmt: skip
        else:
            sql = f"({scored} SELECT scored.score FROM scored WHERE scored.id = {pk_sql})"
        return sql, [self.query, *pk_params]


def event_rank(terms):
    return _Score(EVENT_FTS, EVENT_WEIGHTS, match_any(terms))


def event_documents_rank(matter, terms):
    return _Score(DOCUMENT_FTS, DOCUMENT_WEIGHTS, match_any(terms), through=("evidence_citation", "event_id"))


def document_rank(terms):
    return _Score(DOCUMENT_FTS, DOCUMENT_WEIGHTS, match_any(terms))


def _in(ids) -> tuple[str, list]:
    ids = [int(i) for i in ids]
    return ",".join("%s" for _ in ids), ids


def event_snippets(ids, terms) -> dict[int, str]:
    """{event id: marked snippet} for the events whose own text matches."""
    if not ids or not terms:
        return {}
    marks, params = _in(ids)
    sql = (f"SELECT rowid, snippet({EVENT_FTS}, -1, %s, %s, '…', 24) FROM {EVENT_FTS} "
           f"WHERE {EVENT_FTS} MATCH %s AND rowid IN ({marks})")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, [snippets.OPEN, snippets.CLOSE, match_any(terms), *params])
        return dict(cursor.fetchall())


def document_snippets(ids, terms) -> dict[int, tuple[int, str]]:
    """{document id: (page, marked snippet)} for the documents whose text or title matches: page 0 for the title,
    file name or Bates numbers, else the page (1, 2…) of the first match in the text."""
    if not ids or not terms:
        return {}
    marks, params = _in(ids)
    highlights = ", ".join(f"highlight({DOCUMENT_FTS}, {n}, %s, %s)" for n in range(len(DOCUMENT_COLUMNS)))
    sql = (f"SELECT rowid, {highlights} FROM {DOCUMENT_FTS} "
           f"WHERE {DOCUMENT_FTS} MATCH %s AND rowid IN ({marks})")  # fmt: skip
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*[snippets.OPEN, snippets.CLOSE] * len(DOCUMENT_COLUMNS), match_any(terms), *params])
        for pk, *columns in cursor.fetchall():
            *header, text = (c or "" for c in columns)
            at = text.find(snippets.OPEN)
            if at >= 0:
                found[pk] = snippets.page_window(text, at)
            else:
                found[pk] = (0, " · ".join(c for c in header if snippets.OPEN in c))
    return found


# The index: FTS5 tables and their triggers ------------------------------------------------------------------------

INDEXES = {  # FTS5 table: (content table, its indexed columns)
    EVENT_FTS: ("evidence_event", ("title", "description", "source_note")),
    DOCUMENT_FTS: ("evidence_document", DOCUMENT_COLUMNS),
    ISSUE_FTS: ("evidence_issue", ("name",)),
    ACTOR_FTS: ("evidence_actor", ("name",)),
}
TOKENIZE = "unicode61 remove_diacritics 2"


def _triggers(fts: str, table: str, columns) -> dict[str, str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return {
        f"{fts}_insert": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_delete": f"AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_update": f"AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
    }


def ensure_index(cursor) -> list[str]:
    """Create the FTS5 tables and triggers that are missing, and rebuild an index whose triggers were missing: SQLite
    drops a table's triggers when a migration rebuilds the table (ALTER on SQLite copies it to a new one), so this
    runs after every `migrate` (apps.EvidenceConfig) as well as in the search migration. Returns the names of the
    indexes rebuilt."""
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    existing = {row[0] for row in cursor.fetchall()}
    rebuilt = []
    for fts, (table, columns) in INDEXES.items():
        if table not in existing:
            continue
        if fts not in existing:
            cursor.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(columns)}, content='{table}', "
                           f"content_rowid='id', tokenize='{TOKENIZE}')")  # fmt: skip
        missing = {name: body for name, body in _triggers(fts, table, columns).items() if name not in existing}
        for name, body in missing.items():
            cursor.execute(f"CREATE TRIGGER {name} {body}")
        if missing:
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            rebuilt.append(fts)
    return rebuilt


def drop_index(cursor) -> None:
    for fts, (table, columns) in INDEXES.items():
        for name in _triggers(fts, table, columns):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {fts}")
