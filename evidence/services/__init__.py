"""Every write of the project, one module per part of the domain. Each public function is one atomic action:
validate, save, and record who did it and why in the history.

Views, admin, management commands, imports and tasks translate their input and call these; they never save models
themselves. Import the function from its module: ``from evidence.services.events import event_create``.

- ``base``: the save every service shares (full_clean, history user and reason, one history row with m2m).
- ``matters``: matters and memberships.
- ``actors``: a matter's actors and issues, found by name or created.
- ``events``: create, update (stale-edit check), soft delete, restore, revert.
- ``citations``: an event's citations of documents.
- ``documents``: evidence intake and document metadata.
- ``sources``: tracked sources, their versions (documents with capture and dates) and audiences; the order in
  which a source changed and the event a new version proposes.
- ``email``: .eml messages and their attachments as evidence; a proposal from a message as a cited event.
- ``invitations``: a matter's owners invite people by e-mail; accepting makes them members.
- ``jobs``: the progress rows of background exports and imports.
"""
