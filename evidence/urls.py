from django.urls import path, register_converter

from evidence.views import (
    access,
    archives,
    cast,
    document_ocr,
    document_versions,
    documents,
    editions,
    events,
    exports,
    grid,
    imports,
    matters,
    source_captures,
    source_in_force,
    source_redlines,
    source_versions,
    sources,
    viewer,
)


class CastConverter:
    """The people and issues pages share their views: "people" or "issues"."""

    regex = "people|issues"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CastConverter, "cast")

# One path per line, grouped by module; append new ones to their group.
urlpatterns = [
    path("", matters.home, name="home"),
    path("matters/new", matters.matter_new, name="matter_new"),
    path("m/<slug:slug>/members", matters.matter_members, name="matter_members"),
    path("m/<slug:slug>/", events.timeline, name="timeline"),
    path("m/<slug:slug>/dates/preview", events.date_preview, name="date_preview"),
    path("m/<slug:slug>/actors/guess", events.actor_guess, name="actor_guess"),
    path("m/<slug:slug>/events/new", events.event_new, name="event_new"),
    path("m/<slug:slug>/events/import", imports.event_import, name="event_import"),
    path("m/<slug:slug>/events/import/confirm", imports.event_import_confirm, name="event_import_confirm"),
    path("m/<slug:slug>/events/import/jobs/<int:pk>", imports.event_import_job, name="event_import_job"),
    path("m/<slug:slug>/events/<int:pk>/", events.event_detail, name="event_detail"),
    path("m/<slug:slug>/events/<int:pk>/edit", events.event_edit, name="event_edit"),
    path("m/<slug:slug>/events/<int:pk>/delete", events.event_delete, name="event_delete"),
    path("m/<slug:slug>/events/<int:pk>/restore", events.event_restore, name="event_restore"),
    path("m/<slug:slug>/events/<int:pk>/revert", events.event_revert, name="event_revert"),
    path("m/<slug:slug>/events/<int:pk>/delete/confirm", events.event_delete_confirm, name="event_delete_confirm"),
    path(
        "m/<slug:slug>/events/<int:pk>/revert/<int:history_id>",
        events.event_revert_confirm,
        name="event_revert_confirm",
    ),
    path("m/<slug:slug>/documents/<int:pk>/file", documents.document_file, name="document_file"),
    path("m/<slug:slug>/documents/", documents.document_list, name="document_list"),
    path("m/<slug:slug>/documents/upload", documents.document_upload, name="document_upload"),
    path("m/<slug:slug>/documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("m/<slug:slug>/documents/<int:pk>/edit", documents.document_edit, name="document_edit"),
    path("m/<slug:slug>/documents/<int:pk>/delete", documents.document_delete, name="document_delete"),
    path("m/<slug:slug>/documents/<int:pk>/restore", documents.document_restore, name="document_restore"),
    path("m/<slug:slug>/documents/<int:pk>/ocr", document_ocr.document_ocr, name="document_ocr"),
    path("m/<slug:slug>/documents/<int:pk>/ocr.pdf", document_ocr.document_ocr_copy, name="document_ocr_copy"),
    path("m/<slug:slug>/documents/<int:pk>/email-event", documents.email_event, name="email_event"),
    path("m/<slug:slug>/documents/<int:pk>/history", document_versions.document_history, name="document_history"),
    path(
        "m/<slug:slug>/documents/<int:pk>/delete/confirm",
        document_versions.document_delete_confirm,
        name="document_delete_confirm",
    ),
    path(
        "m/<slug:slug>/documents/<int:pk>/revert/<int:history_id>",
        document_versions.document_revert_confirm,
        name="document_revert_confirm",
    ),
    path("m/<slug:slug>/documents/<int:pk>/revert", document_versions.document_revert, name="document_revert"),
    path("m/<slug:slug>/documents/<int:pk>/view", viewer.document_viewer, name="document_viewer"),
    path("m/<slug:slug>/documents/<int:pk>/cite", viewer.document_cite, name="document_cite"),
    path("m/<slug:slug>/export", exports.export, name="export"),
    path("m/<slug:slug>/export/jobs/<int:pk>", exports.export_job, name="export_job"),
    path("m/<slug:slug>/export/jobs/<int:pk>/download", exports.export_download, name="export_download"),
    path("m/<slug:slug>/export/filing-settings", exports.filing_settings, name="filing_settings"),
    path("m/<slug:slug>/editions/<int:number>/download", editions.edition_download, name="edition_download"),
    path("m/<slug:slug>/editions/<int:number>/compare", editions.edition_compare, name="edition_compare"),
    path("m/<slug:slug>/editions/<int:number>/redline.pdf", editions.edition_redline, name="edition_redline"),
    path("m/<slug:slug>/sources/<int:pk>/redline", source_redlines.source_redline, name="source_redline"),
    path("m/<slug:slug>/sources/<int:pk>/redline.pdf", source_redlines.source_redline_pdf, name="source_redline_pdf"),
    path("m/<slug:slug>/access/", access.access_log, name="access_log"),
    path("m/<slug:slug>/archive", archives.matter_archive, name="matter_archive"),
    path("m/<slug:slug>/events/<int:pk>/cell", grid.cell_edit, name="cell_edit"),
    path("m/<slug:slug>/events/bulk", grid.bulk_edit, name="bulk_edit"),
    path("m/<slug:slug>/events/bulk/<int:pk>/undo", grid.bulk_undo, name="bulk_undo"),
    path("m/<slug:slug>/grid/settings", grid.grid_settings, name="grid_settings"),
    path("m/<slug:slug>/visual", grid.visual_timeline, name="visual_timeline"),
    path("m/<slug:slug>/views/", grid.saved_view_create, name="saved_view_create"),
    path("m/<slug:slug>/views/<int:pk>/delete", grid.saved_view_delete, name="saved_view_delete"),
    path("m/<slug:slug>/sources/", sources.source_list, name="source_list"),
    path("m/<slug:slug>/sources/new", sources.source_new, name="source_new"),
    path("m/<slug:slug>/sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("m/<slug:slug>/sources/<int:pk>/edit", sources.source_edit, name="source_edit"),
    path("m/<slug:slug>/sources/<int:pk>/delete/confirm", sources.source_delete_confirm, name="source_delete_confirm"),
    path("m/<slug:slug>/sources/<int:pk>/delete", sources.source_delete, name="source_delete"),
    path("m/<slug:slug>/sources/<int:pk>/restore", sources.source_restore, name="source_restore"),
    path("m/<slug:slug>/sources/audiences/", sources.audience_list, name="audience_list"),
    path("m/<slug:slug>/sources/audiences/new", sources.audience_new, name="audience_new"),
    path("m/<slug:slug>/sources/audiences/<int:pk>/retire", sources.audience_retire, name="audience_retire"),
    path("m/<slug:slug>/sources/<int:pk>/versions/new", source_versions.version_new, name="version_new"),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/", source_versions.version_detail, name="version_detail"
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/edit", source_versions.version_edit, name="version_edit"
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/delete/confirm",
        source_versions.version_delete_confirm,
        name="version_delete_confirm",
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/delete",
        source_versions.version_delete,
        name="version_delete",
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/restore",
        source_versions.version_restore,
        name="version_restore",
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/captures/import",
        source_captures.source_captures_import,
        name="source_captures_import",
    ),
    path(
        "m/<slug:slug>/sources/<int:pk>/captures/jobs/<int:job>",
        source_captures.source_captures_job,
        name="source_captures_job",
    ),
    path("m/<slug:slug>/<cast:kind>/", cast.cast_list, name="cast_list"),
    path("m/<slug:slug>/<cast:kind>/new", cast.cast_save, name="cast_new"),
    path("m/<slug:slug>/<cast:kind>/<int:pk>/edit", cast.cast_save, name="cast_edit"),
    path("m/<slug:slug>/<cast:kind>/<int:pk>/merge", cast.cast_merge, name="cast_merge"),
    path("m/<slug:slug>/<cast:kind>/<int:pk>/retire", cast.cast_retire, name="cast_retire"),
    # Tracked sources: which version was in force on a date, and a version's capture certificate.
    path("m/<slug:slug>/sources/in-force", source_in_force.source_in_force, name="source_in_force"),
    path(
        "m/<slug:slug>/sources/<int:pk>/versions/<int:version>/certificate.pdf",
        source_in_force.version_certificate,
        name="version_certificate",
    ),
]
