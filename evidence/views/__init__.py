"""The web UI, one module per part of the site: matters (list, create, members), events (timeline, form, detail,
history), documents. Views are thin: a form parses the request, a service writes, a selector reads, a template renders.
evidence/urls.py refers to each module's views by module (`events.timeline`), so a new module needs no line here."""
