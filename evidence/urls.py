from django.urls import path

from evidence.views import documents, events, matters

# One path per line, grouped by module; append new ones to their group.
urlpatterns = [
    path("", matters.home, name="home"),
    path("matters/new", matters.matter_new, name="matter_new"),
    path("m/<slug:slug>/members", matters.matter_members, name="matter_members"),
    path("m/<slug:slug>/", events.timeline, name="timeline"),
    path("m/<slug:slug>/dates/preview", events.date_preview, name="date_preview"),
    path("m/<slug:slug>/events/new", events.event_new, name="event_new"),
    path("m/<slug:slug>/events/<int:pk>/", events.event_detail, name="event_detail"),
    path("m/<slug:slug>/events/<int:pk>/edit", events.event_edit, name="event_edit"),
    path("m/<slug:slug>/events/<int:pk>/delete", events.event_delete, name="event_delete"),
    path("m/<slug:slug>/events/<int:pk>/restore", events.event_restore, name="event_restore"),
    path("m/<slug:slug>/events/<int:pk>/revert", events.event_revert, name="event_revert"),
    path("m/<slug:slug>/documents/<int:pk>/file", documents.document_file, name="document_file"),
]
