"""What the API reads and writes. Output serializers are read-only views of the models (dates as the CSV writes them);
input serializers only check the shape of a request: every rule of the data itself is the services' (full_clean)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evidence.api.fields import PartialDateInput, date_precision, date_text
from evidence.models import ActorKind, EventKind, EventStatus, Job, Role


class DateFieldsOut(serializers.Serializer):
    """The date of an event or a document as the CSV export writes it (evidence/api/fields.py)."""

    date = serializers.SerializerMethodField(
        help_text="As displayed (and in the CSV), e.g. “c. Sept 2024”, “Date unknown”."
    )
    date_start = serializers.CharField(help_text="ISO partial: 2024, 2024-08, 2024-08-15, 2024-08-15T09:30; or “”.")
    date_end = serializers.CharField(help_text="The end of a range, ISO partial; or “”.")
    precision = serializers.SerializerMethodField()
    approximate = serializers.BooleanField(source="date_approximate")
    bound = serializers.ChoiceField(source="date_bound", choices=["", "before", "after"])
    time_zone = serializers.CharField(
        source="date_tz", help_text="The zone of a minute-precision date: an IANA name, UTC or ±hh:mm; or “”."
    )

    def get_date(self, record) -> str:
        return date_text(record)

    @extend_schema_field(serializers.ChoiceField(choices=["", "year", "month", "day", "minute"]))
    def get_precision(self, record) -> str:
        return date_precision(record)


# Matters -----------------------------------------------------------------------------------------------------------


class MatterSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    short_title = serializers.CharField()
    court = serializers.CharField()
    case_number = serializers.CharField()
    parties = serializers.CharField()
    time_zone = serializers.CharField()
    confidentiality_legend = serializers.CharField()
    exhibit_prefix = serializers.CharField()
    role = serializers.SerializerMethodField()
    event_count = serializers.IntegerField(required=False, help_text="Live events (in the list only).")
    document_count = serializers.IntegerField(required=False, help_text="Live documents (in the list only).")

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_role(self, matter) -> str:
        return self.context["roles"].get(matter.pk, "")


# Events -----------------------------------------------------------------------------------------------------------


class CitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.IntegerField(source="event_id")
    document = serializers.IntegerField(source="document_id")
    exhibit = serializers.CharField(source="document.exhibit_label", help_text="The document's exhibit label.")
    pinpoint = serializers.CharField()
    note = serializers.CharField()
    label = serializers.CharField(help_text="“PX-3 p. 2”, as the CSV's citations column writes it.")


class EventSerializer(DateFieldsOut):
    id = serializers.IntegerField()
    version = serializers.IntegerField(help_text="Send it back (or the ETag as If-Match) with a change.")
    title = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    status = serializers.ChoiceField(choices=EventStatus.choices)
    key = serializers.BooleanField(source="is_key")
    privileged = serializers.BooleanField(source="is_privileged")
    actors = serializers.SerializerMethodField()
    issues = serializers.SerializerMethodField()
    citations = CitationSerializer(many=True, source="citations.all")
    source_note = serializers.CharField()
    external_id = serializers.CharField()
    order = serializers.IntegerField()
    deleted = serializers.BooleanField(source="is_deleted")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_actors(self, event) -> list[str]:
        return [a.name for a in event.actors.all()]

    def get_issues(self, event) -> list[str]:
        return [i.name for i in event.issues.all()]


class EventVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    history_id = serializers.IntegerField()
    changed_at = serializers.DateTimeField(source="history_date")
    user = serializers.SerializerMethodField()
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    title = serializers.CharField()
    deleted = serializers.SerializerMethodField()

    def get_user(self, record) -> str:
        return record.history_user.get_username() if record.history_user else ""

    def get_deleted(self, record) -> bool:
        return record.deleted_at is not None


REASON_NEEDED = "Every change needs a reason, kept in the history (e.g. “date corrected from Dkt. 1 ¶ 2”)."


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(
        max_length=100,  # as the pages' reason fields
        help_text="Why: kept in the history with the change. Required for every write.",
        error_messages={"required": REASON_NEEDED, "blank": REASON_NEEDED, "null": REASON_NEEDED},
    )

    def validate_reason(self, value: str) -> str:
        return " ".join(value.split())


class VersionedReasonInput(ReasonInput):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version the change is based on (or If-Match: its ETag)."
    )


# Inputs name the fields as the outputs do (and as the CSV's columns): `key` and `privileged`.
EVENT_INPUT_FIELDS = {"key": "is_key", "privileged": "is_privileged"}


class EventInput(PartialDateInput, VersionedReasonInput):
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    status = serializers.ChoiceField(choices=EventStatus.choices, required=False)
    key = serializers.BooleanField(required=False)
    privileged = serializers.BooleanField(required=False)
    actors = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=500)
    issues = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=500)
    source_note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    external_id = serializers.CharField(max_length=100, required=False, allow_blank=True)
    order = serializers.IntegerField(required=False)

    def service_fields(self) -> dict:
        """The event's own fields as event_create / event_update take them (date, actors, issues apart)."""
        data = self.validated_data
        names = ("title", "description", "kind", "status", "key", "privileged", "source_note", "external_id", "order")
        return {EVENT_INPUT_FIELDS.get(name, name): data[name] for name in names if name in data}


class EventCreateInput(EventInput):
    title = serializers.CharField(max_length=500)


class CitationInput(VersionedReasonInput):
    document = serializers.IntegerField(help_text="The id of a document of the same matter.")
    pinpoint = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# Documents ---------------------------------------------------------------------------------------------------------


class DocumentSerializer(DateFieldsOut):
    id = serializers.IntegerField()
    exhibit_number = serializers.IntegerField()
    exhibit = serializers.CharField(source="exhibit_label")
    title = serializers.CharField()
    original_filename = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    media_type = serializers.CharField()
    page_count = serializers.IntegerField(allow_null=True)
    author = serializers.CharField()
    source_url = serializers.CharField()
    captured_at = serializers.DateTimeField(allow_null=True)
    bates_start = serializers.CharField()
    bates_end = serializers.CharField()
    privileged = serializers.BooleanField(source="is_privileged")
    deleted = serializers.BooleanField(source="is_deleted")
    created_at = serializers.DateTimeField()
    file_url = serializers.SerializerMethodField(help_text="Where the file is downloaded (with the same token).")

    def get_file_url(self, document) -> str:
        return reverse("api:document_file", args=[document.matter.slug, document.pk])


class DocumentUpload(PartialDateInput, ReasonInput):
    file = serializers.FileField(help_text="The evidence file; hashed (SHA-256) and numbered at intake.")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    author = serializers.CharField(max_length=300, required=False, allow_blank=True)
    source_url = serializers.URLField(max_length=2000, required=False, allow_blank=True)
    bates_start = serializers.CharField(max_length=50, required=False, allow_blank=True)
    bates_end = serializers.CharField(max_length=50, required=False, allow_blank=True)
    privileged = serializers.BooleanField(required=False)


class DocumentUploaded(DocumentSerializer):
    created = serializers.BooleanField(help_text="False when these exact bytes were already evidence in the matter.")


# Actors and issues -------------------------------------------------------------------------------------------------


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ActorKind.choices)
    live_events = serializers.IntegerField(help_text="Live events naming the actor.")


class ActorInput(ReasonInput):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=ActorKind.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="Person or organisation; when left out, guessed from the name (“LinkedIn Corporation”, “FTC” are "
        "organisations).",
    )


class IssueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    live_events = serializers.IntegerField(help_text="Live events tagged with the issue.")


class IssueInput(ReasonInput):
    name = serializers.CharField(max_length=100)


# Jobs --------------------------------------------------------------------------------------------------------------


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Job.Kind.choices)
    state = serializers.ChoiceField(choices=Job.State.choices)
    progress = serializers.IntegerField()
    total = serializers.IntegerField()
    message = serializers.CharField()
    options = serializers.JSONField()
    result_name = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(help_text="The file, once the job is done; “” until then.")
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def _done(self, job) -> bool:
        return job.state == Job.State.DONE and bool(job.result)

    def get_result_name(self, job) -> str:
        return job.result_name if self._done(job) else ""

    def get_file_url(self, job) -> str:
        return reverse("api:job_file", args=[job.matter.slug, job.pk]) if self._done(job) else ""


class ExportInput(serializers.Serializer):
    """The export page's options (evidence.forms.filters.ExportForm binds them; its rules apply)."""

    format = serializers.ChoiceField(choices=["pdf", "csv", "xlsx", "docx"])
    report = serializers.ChoiceField(
        choices=["chronology", "facts-by-issue", "cast-of-characters", "exhibit-list", "privilege-log"],
        required=False,
    )
    paper = serializers.ChoiceField(choices=["letter", "a4"], required=False)
    include_privileged = serializers.BooleanField(required=False, help_text="Editors and owners only.")
    embed_exhibits = serializers.BooleanField(required=False)
    source_redlines = serializers.BooleanField(
        required=False,
        help_text="Append the redlines of the tracked sources the exported events cite (the chronology's PDF only).",
    )
    text = serializers.CharField(required=False)
    date_from = serializers.CharField(required=False, help_text="A date as known: “Aug 2024” starts on Aug 1.")
    date_to = serializers.CharField(required=False)
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=EventKind.choices), required=False)
    issues = serializers.ListField(child=serializers.CharField(), required=False)
    actors = serializers.ListField(child=serializers.CharField(), required=False)
    statuses = serializers.ListField(child=serializers.ChoiceField(choices=EventStatus.choices), required=False)
    key_only = serializers.BooleanField(required=False)
    include_undated = serializers.BooleanField(required=False)
