"""The domain of a litigation chronology: matters, dated events, evidence documents and citations, tracked sources and
their versions, one module per part of the domain; importable from here as Django expects
(``from evidence.models import Event``).

Every model keeps its full history (django-simple-history). Writes go through evidence.services, which sets the
history user and reason before saving; nothing here writes by itself.
"""

from evidence.models.access import AccessEvent, AccessKind, AppendOnlyError, IntegrityCheck
from evidence.models.chain import HistoryChainHead, HistoryLink
from evidence.models.choices import ActorKind, EventKind, EventStatus, Role
from evidence.models.documents import Citation, Document
from evidence.models.editions import Edition
from evidence.models.events import EVENT_HISTORY, Event, SoftDeleteQuerySet, m2m_history_models
from evidence.models.filing import CitationForm, FilingSettings
from evidence.models.grid import DOCUMENT_COLUMNS, GRID_COLUMNS, BulkEdit, Density, GridSettings, SavedView
from evidence.models.imports import ImportMapping
from evidence.models.jobs import Job
from evidence.models.matters import Actor, Invitation, Issue, Matter, Membership
from evidence.models.partial_dates import PartialDateColumns, PartialDateFields
from evidence.models.search import SearchPage
from evidence.models.sources import (
    SOURCE_VERSION_HISTORY,
    Audience,
    CaptureMethod,
    SourceKind,
    SourceVersion,
    TrackedSource,
)
from evidence.models.submissions import SubmissionToken
from evidence.models.tokens import ApiToken

__all__ = [
    "AccessEvent",
    "AccessKind",
    "ApiToken",
    "Actor",
    "Audience",
    "ActorKind",
    "AppendOnlyError",
    "BulkEdit",
    "CaptureMethod",
    "Citation",
    "CitationForm",
    "Density",
    "Document",
    "Edition",
    "EVENT_HISTORY",
    "Event",
    "DOCUMENT_COLUMNS",
    "GRID_COLUMNS",
    "GridSettings",
    "EventKind",
    "EventStatus",
    "FilingSettings",
    "HistoryChainHead",
    "HistoryLink",
    "ImportMapping",
    "IntegrityCheck",
    "Invitation",
    "Issue",
    "Job",
    "Matter",
    "Membership",
    "PartialDateColumns",
    "PartialDateFields",
    "Role",
    "SavedView",
    "SearchPage",
    "SoftDeleteQuerySet",
    "SOURCE_VERSION_HISTORY",
    "SourceKind",
    "SourceVersion",
    "SubmissionToken",
    "TrackedSource",
    "m2m_history_models",
]
