"""Importing events from messy spreadsheets: what is stored, what is refused and why, all or nothing, idempotency."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from evidence.importing import UnusableInput, import_events, read_table
from evidence.models import EVENT_HISTORY, Actor, Citation, Event, Issue
from evidence.services.documents import document_delete
from evidence.services.events import event_delete
from tests.factories import MatterFactory, UserFactory, make_document, make_event

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def exhibit(matter):
    return make_document(matter, content=b"The article", filename="article.txt")


def run(matter, user, name, data=None, **options):
    table = read_table(data if data is not None else FIXTURES / name, name=name, sheet=options.pop("sheet", None))
    return import_events(table, matter=matter, user=user, **options)


def stored(matter):
    return {e.title: e for e in Event.objects.filter(matter=matter).prefetch_related("actors", "issues", "citations")}


# Messy files -----------------------------------------------------------------------------------------------------


def test_casemap_export_with_bom_crlf_blank_rows_and_multiline_cells(matter, user, exhibit):
    result = run(matter, user, "casemap_facts.csv")
    assert result.written and result.counts == {"new": 6, "updated": 0, "unchanged": 0, "invalid": 0}
    assert result.plan.columns.unrecognised == ["Evaluation"]
    events = stored(matter)
    setting = events["LinkedIn introduces a privacy setting that opts users into AI training"]
    assert (setting.date_display, setting.date_start, setting.date_precision) == ("Aug 2024", "2024-08", 2)
    assert setting.status == "disputed" and setting.is_key
    assert sorted(i.name for i in setting.issues.all()) == ["AI training", "Consent", "Notice"]
    assert [a.name for a in setting.actors.all()] == ["LinkedIn"]
    assert [(c.document_id, c.pinpoint) for c in setting.citations.all()] == [(exhibit.pk, "¶ 2")]
    assert setting.source_note == "Complaint ¶ 2"
    faq = events["LinkedIn changes its FAQ to say users may opt out"]
    assert faq.date_display == "Date unknown" and faq.status == "unverified" and not faq.is_key
    policy = events["LinkedIn modifies its privacy policy\nabout a month after the setting"]
    assert policy.date_display == "c. Sept 2024" and policy.date_approximate
    assert events["LinkedIn e-mails users about the UK/EEA/Switzerland"].date_display == "2024"
    complaint = events["Complaint filed in federal court in California"]
    assert complaint.date_display == "Jan 21, 2025" and complaint.source_note == "Dkt. 1"
    assert not complaint.citations.exists() and complaint.status == "undisputed"
    assert sorted(a.name for a in complaint.actors.all()) == ["LinkedIn", "LinkedIn Premium user (plaintiff)"]
    article = events["DMR News reports the lawsuit"]
    # a time without a zone is read in the matter's zone
    assert (article.date_start, article.date_tz) == ("2025-01-24T09:30", "America/Los_Angeles")
    assert article.date_display == "Jan 24, 2025, 9:30 AM PST"
    assert [(c.document_id, c.pinpoint) for c in article.citations.all()] == [(exhibit.pk, "")]


def test_preview_rows_show_dates_with_precision_and_row_numbers(matter, user, exhibit):
    plan = run(matter, user, "casemap_facts.csv", dry_run=True).plan
    shown = [(r.row, r.date_display) for r in plan.rows]
    assert shown == [
        (2, "Aug 2024 (month)"), (3, "Date unknown"), (5, "c. Sept 2024 (month, approximate)"), (6, "2024 (year)"),
        (7, "Jan 21, 2025 (day)"), (9, "Jan 24, 2025, 9:30 AM PST (minute)"),
    ]  # fmt: skip
    assert plan.date_orders == ["“Date & Time”: month/day (US), as no value proves day/month."]
    assert not Event.objects.filter(matter=matter).exists()


def test_xlsx_date_cells_are_days_datetime_cells_minutes_and_the_chronology_sheet_is_found(matter, user):
    result = run(matter, user, "chronology.xlsx")
    assert result.plan.notices == [
        "Read the sheet “Chronology” (the workbook has 2: Notes, Chronology); choose another if needed."
    ]
    assert result.plan.columns.unrecognised == ["Extra column"]
    events = stored(matter)
    assert (events["Complaint filed (date cell)"].date_start, events["Complaint filed (date cell)"].date_precision) == (
        "2025-01-21",
        3,
    )
    assert events["Article published (datetime cell)"].date_start == "2025-01-24T09:30"
    assert events["Article published (datetime cell)"].date_tz == "America/Los_Angeles"
    assert events["A date-only cell"].date_display == "Aug 15, 2024" and events["A date-only cell"].is_key
    assert events["Text cell month"].date_display == "Aug 2024"
    assert events["Text cell circa"].date_display == "c. Sept 2024"
    assert events["Complaint filed (date cell)"].external_id == "1"  # a numeric cell, not "1.0"
    assert events["Complaint filed (date cell)"].kind == "court_filing"


def test_xlsx_sheet_can_be_chosen_and_an_unknown_sheet_is_unusable(matter, user):
    assert run(matter, user, "chronology.xlsx", sheet="Chronology", dry_run=True).counts["new"] == 5
    with pytest.raises(UnusableInput, match="has no sheet “Facts”; its sheets are: Notes, Chronology"):
        run(matter, user, "chronology.xlsx", sheet="Facts")
    with pytest.raises(UnusableInput, match="has no title column"):
        run(matter, user, "chronology.xlsx", sheet="Notes")


def test_windows_1252_is_read_with_a_notice(matter, user):
    result = run(matter, user, "windows1252.csv")
    assert result.plan.notices == [
        "“windows1252.csv” is not UTF-8 (first at line 2); it was read as Windows-1252. "
        "Check accented letters and quotes in the preview."
    ]
    event = Event.objects.get(external_id="w-1")
    assert event.title == "Setting introduced – “opt-in” by default" and event.description == "Résumé data included"


def test_json_records(matter, user):
    result = run(matter, user, "events.json")
    assert result.counts["new"] == 2
    event = Event.objects.get(external_id="j-1")
    assert [a.name for a in event.actors.all()] == ["LinkedIn"] and event.kind == "setting_introduced"
    assert Event.objects.get(external_id="j-2").is_key


def test_apostrophe_formula_guard_is_removed_once(matter, user):
    data = b"Date,Title,Description\nAug 2024,'=SUM(A1),'-5 points\nSept 2024,'plain,''=x\n"
    run(matter, user, "guard.csv", data)
    events = stored(matter)
    assert events["=SUM(A1)"].description == "-5 points"
    assert events["'plain"].description == "''=x"  # the rest does not start with a formula character


# Day/month order ----------------------------------------------------------------------------------------------------


def test_a_column_that_proves_day_first_is_read_day_first_and_the_preview_says_so(matter, user):
    result = run(matter, user, "day_first.csv")
    assert result.plan.date_orders == ["“When”: day/month, because the column has “21/01/2025” (row 3)."]
    assert stored(matter)["Letter sent"].date_start == "2025-02-03"


def test_day_first_can_be_forced(matter, user):
    data = b"Date,Title\n03/02/2025,Letter sent\n"
    assert run(matter, user, "a.csv", data, day_first=True).plan.rows[0].date.start.iso() == "2025-02-03"
    us = run(matter, user, "a.csv", data, day_first=False, dry_run=True).plan.rows[0]
    assert (us.date.start.iso(), us.action) == ("2025-03-02", "new")


def test_a_column_mixing_both_orders_is_refused_naming_the_rows(matter, user):
    result = run(matter, user, "mixed_order.csv")
    assert not result.written
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (2, "Event Date", "“21/01/2025” is day/month, but the column also has month/day dates (row 3); "
                          "write the column in one order or choose the order"),
        (3, "Event Date", "“01/22/2025” is month/day, but the column also has day/month dates (row 2); "
                          "write the column in one order or choose the order"),
    ]  # fmt: skip
    assert result.plan.date_orders == ["“Event Date”: refused, it mixes day/month and month/day dates."]
    assert not Event.objects.filter(matter=matter).exists()


# Invalid rows: every one reported, nothing written ------------------------------------------------------------------


def test_invalid_rows_are_each_reported_and_nothing_is_written(matter, user, exhibit):
    actors_before, issues_before = Actor.objects.count(), Issue.objects.count()
    result = run(matter, user, "invalid_rows.csv")
    assert not result.written
    assert result.counts == {"new": 1, "updated": 0, "unchanged": 0, "invalid": 5}
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (3, "Date", "'Aug 32 2024': day 32 does not exist"),
        (4, "Title", "the title is empty"),
        (5, "Type", "unknown kind “Telepathy”; use one of “Setting introduced”, “Setting changed”, “Policy edit”, "
                    "“FAQ / help-page edit”, “User communication”, “Internal communication”, “Public statement”, "
                    "“Court filing”, “Other”"),
        (6, "Key Fact", "“maybe” is not yes or no (write Y, yes, true or x; N, no, false or leave it empty)"),
        (6, "Exhibit", "PX-9 does not exist in this matter (its exhibit is PX-1)"),
        (7, "Date", "could not read '=1+1' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', "
                    "'2024-08-15', 'Jan 24, 2025, 9:30 AM PST' or 'unknown'"),
    ]  # fmt: skip
    assert not Event.objects.filter(matter=matter).exists()
    assert (Actor.objects.count(), Issue.objects.count(), Citation.objects.count()) == (actors_before, issues_before, 0)


def test_a_failure_while_writing_rolls_everything_back(matter, user, exhibit, monkeypatch):
    from evidence.importing import apply

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "bulk_create_with_history", explode)
    with pytest.raises(RuntimeError):
        run(matter, user, "casemap_facts.csv")
    assert not Event.objects.filter(matter=matter).exists() and not Actor.objects.filter(matter=matter).exists()


def test_the_garbage_collector_is_paused_during_an_import_and_restored_even_on_failure(
    matter, user, exhibit, monkeypatch
):
    import gc

    from evidence.importing import apply

    seen = []
    real = apply.bulk_create_with_history

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(apply, "bulk_create_with_history", spy)
    assert gc.isenabled()
    assert run(matter, user, "casemap_facts.csv").written
    assert seen and not any(seen) and gc.isenabled()

    monkeypatch.setattr(apply, "build_plan", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        run(matter, user, "casemap_facts.csv", dry_run=True)
    assert gc.isenabled()


def test_duplicate_external_ids_and_deleted_exhibits_are_invalid(matter, user, exhibit):
    document_delete(document=exhibit, user=user, reason="test")
    data = b"Date,Title,Ref,Source\nAug 2024,One,r1,\nSept 2024,Two,r1,\nOct 2024,Three,r3,PX-1 p. 4\n"
    errors = [(e.row, e.column, e.reason) for e in run(matter, user, "d.csv", data).plan.errors]
    assert errors == [
        (3, "Ref", "the id “r1” is also on row 2"),
        (4, "Source", "PX-1 is deleted; restore it or remove the citation"),
    ]


def test_an_end_date_column_makes_a_range_and_a_reversed_range_is_invalid(matter, user):
    data = b"Date,End Date,Title\nAug 2024,Sept 2024,Range\nOct 2024,Aug 2024,Backwards\n"
    result = run(matter, user, "r.csv", data)
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (3, "End Date", "the range ends (Aug 2024) before it starts (Oct 2024)")
    ]
    assert result.plan.rows[0].date.display() == "Aug – Sept 2024"


def test_unusable_input(matter, user, settings):
    with pytest.raises(UnusableInput, match="has no title column"):
        run(matter, user, "no_title.csv")
    with pytest.raises(UnusableInput, match="has no date column"):
        run(matter, user, "x.csv", b"Title\nOne\n")
    with pytest.raises(UnusableInput, match="empty"):
        run(matter, user, "x.csv", b"\r\n\r\n")
    with pytest.raises(UnusableInput, match="cells beyond the last column with a header"):
        run(matter, user, "x.csv", b"Date,Title\nAug 2024,One,surprise\n")
    with pytest.raises(UnusableInput, match="not a CSV, XLSX or JSON"):
        run(matter, user, "x.pdf", b"%PDF")
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(UnusableInput, match="has 3 rows; the import limit is 2 rows"):
        run(matter, user, "x.csv", b"Date,Title\n2024,a\n2024,b\n2024,c\n")
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(UnusableInput, match="the import limit is 0.0 MB"):
        run(matter, user, "x.csv", b"Date,Title\n2024,a\n")


# History and idempotency --------------------------------------------------------------------------------------------


def test_history_records_user_reason_actors_and_issues(matter, user, exhibit):
    run(matter, user, "casemap_facts.csv")
    event = Event.objects.get(title__startswith="Complaint filed")
    (record,) = event.history.all()
    assert (record.history_user, record.history_change_reason, record.history_type) == (
        user,
        "Imported from casemap_facts.csv",
        "+",
    )
    assert sorted(record.actors.values_list("actor__name", flat=True)) == [
        "LinkedIn",
        "LinkedIn Premium user (plaintiff)",
    ]
    assert sorted(record.issues.values_list("issue__name", flat=True)) == ["Concealment", "Consent", "Notice"]
    # the historical event answers like one saved through the services
    assert record.instance.date_display == "Jan 21, 2025"
    citation = Citation.objects.get(pinpoint="¶ 3")
    cited = citation.history.get()
    assert (cited.history_change_reason, cited.history_user, cited.history_type) == (
        "Imported from casemap_facts.csv",
        user,
        "+",
    )
    assert (cited.pinpoint, cited.event_id, cited.document_id) == ("¶ 3", citation.event_id, citation.document_id)
    assert Actor.objects.get(matter=matter, name="DMR News").history.get().history_user == user


def test_the_same_file_twice_changes_nothing(matter, user, exhibit):
    run(matter, user, "casemap_facts.csv")
    counts = (Event.history.count(), Citation.objects.count(), Actor.objects.count(), EVENT_HISTORY.m2m_models)
    again = run(matter, user, "casemap_facts.csv")
    assert again.counts == {"new": 0, "updated": 0, "unchanged": 6, "invalid": 0}
    assert (Event.history.count(), Citation.objects.count(), Actor.objects.count(), EVENT_HISTORY.m2m_models) == counts


def test_a_row_with_an_external_id_updates_its_event_with_history(matter, user):
    editor = UserFactory()
    event = make_event(
        matter, date="Aug 2024", title="Old title", external_id="r1", actors=["Old actor"], issues=["kept"]
    )
    data = b"Date,Title,Ref,Actors,Status\nc. Sept 2024,New title,r1,LinkedIn; DMR News,Disputed\n"
    result = run(matter, editor, "update.csv", data)
    assert result.counts["updated"] == 1 and result.plan.rows[0].changed == ["title", "status", "date", "actors"]
    event.refresh_from_db()
    assert (event.title, event.date_display, event.status, event.version) == (
        "New title",
        "c. Sept 2024",
        "disputed",
        2,
    )
    assert sorted(a.name for a in event.actors.all()) == ["DMR News", "LinkedIn"]
    assert [i.name for i in event.issues.all()] == ["kept"]  # no issues column: kept
    latest = event.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        editor,
        "Imported from update.csv",
    )
    assert sorted(latest.actors.values_list("actor__name", flat=True)) == ["DMR News", "LinkedIn"]
    assert list(latest.issues.values_list("issue__name", flat=True)) == ["kept"]
    assert run(matter, editor, "update.csv", data).counts["unchanged"] == 1


def test_a_row_without_id_matching_an_event_leaves_it_alone(matter, user):
    event = make_event(matter, date="Aug 2024", title="Setting introduced", description="kept as edited")
    result = run(matter, user, "m.csv", b"Date,Title,Description\nAug 2024,Setting introduced,other text\n")
    assert result.counts["unchanged"] == 1 and result.plan.rows[0].existing_id == event.pk
    event.refresh_from_db()
    assert event.description == "kept as edited" and event.history.count() == 1


def test_an_id_of_a_deleted_event_is_refused(matter, user):
    event = make_event(matter, external_id="r1")
    event_delete(event=event, user=user, reason="test")
    errors = run(matter, user, "d.csv", b"Date,Title,ID\nAug 2024,X,r1\n").plan.errors
    assert [e.reason for e in errors] == ["the id “r1” belongs to a deleted event; restore it first"]


# The command --------------------------------------------------------------------------------------------------------


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_events", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_command_imports_and_prints_the_counts(matter, user, exhibit):
    code, out, _ = command(str(FIXTURES / "casemap_facts.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 0
    assert f"Imported casemap_facts.csv into {matter.slug}: 6 new, 0 updated, 0 unchanged, 0 invalid." in out
    assert "Not imported (columns not recognised): Evaluation" in out
    code, out, _ = command(
        str(FIXTURES / "casemap_facts.csv"), "--matter", matter.slug, "--user", user.username, "--dry-run"
    )
    assert code == 0 and "Would import casemap_facts.csv" in out and "6 unchanged" in out


def test_command_exits_1_with_each_invalid_row(matter, user, exhibit):
    code, _, err = command(str(FIXTURES / "invalid_rows.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 1
    assert "Row 3, column “Date”: 'Aug 32 2024': day 32 does not exist" in err
    assert "Row 6, column “Exhibit”: PX-9 does not exist in this matter (its exhibit is PX-1)" in err
    assert "1 new, 0 updated, 0 unchanged, 5 invalid. Nothing was written." in err
    assert not Event.objects.filter(matter=matter).exists()


def test_command_exits_2_on_unusable_input(matter, user, tmp_path):
    assert command(str(FIXTURES / "no_title.csv"), "--matter", matter.slug, "--user", user.username)[0] == 2
    code, _, err = command(str(tmp_path / "missing.csv"), "--matter", matter.slug, "--user", user.username)
    assert code == 2 and "Cannot read" in err
    assert command(str(FIXTURES / "day_first.csv"), "--matter", "nope", "--user", user.username)[0] == 2


def test_command_user_defaults_to_the_only_superuser_and_needs_editor_role(matter, user):
    outsider = UserFactory()
    code, _, err = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug, "--user", outsider.username)
    assert code == 2 and f"No matter “{matter.slug}” that {outsider} may edit." in err
    code, _, err = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug)
    assert code == 2 and "--user" in err  # no superuser at all
    root = UserFactory(superuser=True)
    code, out, _ = command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug, "--day-first")
    assert code == 0 and "“When”: day/month, as chosen for this import." in out
    assert Event.objects.get(title="Letter sent").history.get().history_user == root
    UserFactory(superuser=True)
    assert command(str(FIXTURES / "day_first.csv"), "--matter", matter.slug)[0] == 2


def test_imports_do_not_cross_matters(user):
    a, b = MatterFactory(owner=user), MatterFactory(owner=user)
    make_event(a, date="Aug 2024", title="Same", external_id="r1")
    result = run(b, user, "x.csv", b"Date,Title,Ref\nAug 2024,Same,r1\n")
    assert result.counts["new"] == 1 and Event.objects.filter(external_id="r1").count() == 2


def test_bulk_rows_keep_tabs_backslashes_and_newlines(matter, exhibit):
    from evidence.importing import apply

    event = make_event(matter)
    awkward = "p. 3\t¶ 4\\n \\\\ \n end"
    apply._bulk_insert(Citation, ["event", "document", "pinpoint", "note"], [(event.pk, exhibit.pk, awkward, "")])
    assert list(Citation.objects.filter(event=event).values_list("pinpoint", "note")) == [(awkward, "")]
