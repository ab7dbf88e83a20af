"""Django admin for litigation support. Staff see only their own matters; writes go through the services so that
each one records its user and reason; evidence is soft-deleted, never deleted.

- ``base``: scoping by matter and role, soft delete, the reason recorded for admin writes.
- ``matters``, ``events``, ``documents``, ``jobs``: one admin per part of the domain.
- ``imports``: the bulk-import pages, views of the event and document admins.
"""

from evidence.admin import documents, events, jobs, matters  # noqa: F401  (registers the admins)
