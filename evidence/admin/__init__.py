"""Django admin for litigation support, scoped and written exactly like the pages: a staff user sees only the matters
he is a member of and may do there what his role allows; every write goes through the services with a reason;
evidence is soft-deleted, never deleted; the version history is read-only.

- ``scope``: roles and matters (permissions, querysets, choices, autocomplete); ``filters``: list filters.
- ``writes``: saves and bulk actions through the services; ``history``: simple-history's pages, scoped, read-only.
- ``base``: the admin class they make together.
- ``matters``, ``events``, ``citations``, ``documents``, ``actors``, ``sources``, ``jobs``: one admin per part of the
  domain.
- ``imports``: the bulk-import pages, views of the event and document admins.
- ``groups``: the groups that give each role its model permissions.
"""

from evidence.admin import actors, citations, documents, events, jobs, matters, sources  # noqa: F401  (registers them)
