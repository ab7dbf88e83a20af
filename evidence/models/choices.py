"""The domain's fixed vocabularies: roles in a matter, kinds and statuses of events, kinds of actors."""

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class EventKind(models.TextChoices):
    SETTING_INTRODUCED = "setting_introduced", "Setting introduced"
    SETTING_CHANGED = "setting_changed", "Setting changed"
    POLICY_EDIT = "policy_edit", "Policy edit"
    HELP_PAGE_EDIT = "help_page_edit", "FAQ / help-page edit"
    USER_COMMUNICATION = "user_communication", "User communication"
    INTERNAL_COMMUNICATION = "internal_communication", "Internal communication"
    PUBLIC_STATEMENT = "public_statement", "Public statement"
    COURT_FILING = "court_filing", "Court filing"
    OTHER = "other", "Other"


class EventStatus(models.TextChoices):
    UNDISPUTED = "undisputed", "Undisputed"
    DISPUTED = "disputed", "Disputed"
    UNVERIFIED = "unverified", "Unverified"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
