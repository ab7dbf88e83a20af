"""Forms: they parse and validate what people type; the services do the writing.

- ``fields``: text cleaned as it is stored (``CleanText``), a partial date as typed, several files in one field.
- ``filters``: which events, one form for the timeline, the export page and ``export_chronology``.
- ``events``: the event form, its citations, the reason for delete/restore/revert.
- ``documents``: upload, document metadata, an e-mail's proposed event.
- ``matters``: a matter's settings and members.
- ``admin``: the admin's event and document forms and its import pages.
"""
