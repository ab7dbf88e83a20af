"""/api/…: the JSON API, its OpenAPI schema and the schema's docs page (Swagger UI served from the app's own static
files: drf-spectacular-sidecar, no CDN)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from evidence.api.views import citations, documents, events, jobs, matters, tags

app_name = "api"

M = "matters/<slug:slug>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
    path("matters/", matters.MatterList.as_view(), name="matter_list"),
    path(M, matters.MatterDetail.as_view(), name="matter_detail"),
    path(M + "events/", events.EventList.as_view(), name="event_list"),
    path(M + "events/<int:pk>", events.EventDetail.as_view(), name="event_detail"),
    path(M + "events/<int:pk>/restore", events.EventRestore.as_view(), name="event_restore"),
    path(M + "events/<int:pk>/versions", events.EventVersions.as_view(), name="event_versions"),
    path(M + "events/<int:pk>/citations/", citations.CitationList.as_view(), name="citation_list"),
    path(M + "events/<int:pk>/citations/<int:citation_pk>", citations.CitationDetail.as_view(), name="citation_detail"),
    path(M + "documents/", documents.DocumentList.as_view(), name="document_list"),
    path(M + "documents/<int:pk>", documents.DocumentDetail.as_view(), name="document_detail"),
    path(M + "documents/<int:pk>/file", documents.DocumentFile.as_view(), name="document_file"),
    path(M + "actors/", tags.ActorList.as_view(), name="actor_list"),
    path(M + "issues/", tags.IssueList.as_view(), name="issue_list"),
    path(M + "jobs/", jobs.JobList.as_view(), name="job_list"),
    path(M + "jobs/<int:pk>", jobs.JobDetail.as_view(), name="job_detail"),
    path(M + "jobs/<int:pk>/file", jobs.JobFile.as_view(), name="job_file"),
]
