"""The pages of the documents' text as PostgreSQL's full-text index holds them (see evidence.search.postgres).

A table of PostgreSQL only, written by a trigger on evidence_document (the search migration): Django never creates it,
writes it or flushes it, hence `managed = False`. SQLite searches an FTS5 table instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchPage(models.Model):
    """One page of a document's text (page 0: its title, file name and Bates numbers), or one part of a page too long
    for one tsvector (`part`)."""

    document = models.ForeignKey(
        "evidence.Document", on_delete=models.DO_NOTHING, db_constraint=False, related_name="search_pages"
    )
    page = models.PositiveIntegerField()
    part = models.PositiveIntegerField()
    body = models.TextField()
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = "evidence_searchpage"

    def __str__(self):
        return f"document {self.document_id}, page {self.page}"
