from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Case Timeline"

    def ready(self):
        from evidence.services import chain

        chain.connect()
        post_migrate.connect(_search_index, sender=self)
        post_migrate.connect(_role_groups, sender=self)


def _search_index(using, **kwargs):
    """SQLite drops the search index's triggers whenever a migration rebuilds a table: put them back."""
    from django.db import connections

    from evidence.search import sqlite

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            sqlite.ensure_index(cursor)


def _role_groups(using, **kwargs):
    """The role groups' permissions follow the models: a model added since the groups were made (tracked sources) is
    given to them by the next migrate. Groups not made yet are left to whoever makes them (load_demo, an admin)."""
    from django.contrib.auth.models import Group

    from evidence.admin.groups import GROUP_NAMES, ensure_role_groups

    if Group.objects.using(using).filter(name__in=GROUP_NAMES.values()).exists():
        ensure_role_groups()
