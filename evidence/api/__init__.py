"""The JSON API (Django REST Framework): thin views over the same services, selectors and roles as the pages.

authentication: `Authorization: Bearer <token>` (evidence.services.tokens); preconditions: the reason every write
needs and the stale-edit rule (ETag / If-Match); errors: every error as JSON naming its field; fields: the partial
date in and out as the CSV export writes it; views/: one module per part of the domain; urls: the routes and the
OpenAPI schema with its docs page.
"""
