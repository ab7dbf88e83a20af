from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Case Timeline"

    def ready(self):
        from evidence.services import chain

        chain.connect()
        post_migrate.connect(_search_index, sender=self)


def _search_index(using, **kwargs):
    """SQLite drops the search index's triggers whenever a migration rebuilds a table: put them back."""
    from django.db import connections

    from evidence.search import sqlite

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sqlite.ensure_index(cursor)
