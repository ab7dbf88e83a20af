"""The preview (evidence/importing/plan.py, with the columns and cells it reads): what is stored, what is refused
and why."""

import pytest

from evidence.importing import UnusableInputError
from evidence.models import Actor, Citation, Event, Issue
from evidence.services.documents import document_delete
from tests.importing.support import run, stored


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


def test_apostrophe_formula_guard_is_removed_once(matter, user):
    data = b"Date,Title,Description\nAug 2024,'=SUM(A1),'-5 points\nSept 2024,'plain,''=x\n"
    run(matter, user, "guard.csv", data)
    events = stored(matter)
    assert events["=SUM(A1)"].description == "-5 points"
    assert events["'plain"].description == "''=x"  # the rest does not start with a formula character


def test_invalid_rows_are_each_reported_and_nothing_is_written(matter, user, exhibit):
    actors_before, issues_before = Actor.objects.count(), Issue.objects.count()
    result = run(matter, user, "invalid_rows.csv")
    assert not result.written
    assert result.counts == {"new": 2, "updated": 0, "unchanged": 0, "invalid": 4}
    assert [(e.row, e.column, e.reason) for e in result.plan.errors] == [
        (3, "Date", "'Aug 32 2024': day 32 does not exist"),
        (4, "Title", "the title is empty"),
        (6, "Key Fact", "“maybe” is not yes or no (write Y, yes, true or x; N, no, false or leave it empty)"),
        (6, "Exhibit", "PX-9 does not exist in this matter (its exhibit is PX-1)"),
        (7, "Date", "could not read '=1+1' as a date; write it as known, e.g. 'Aug 2024', 'c. Sept 2024', "
                    "'2024-08-15', 'Jan 24, 2025, 9:30 AM PST' or 'unknown'"),
    ]  # fmt: skip
    assert not Event.objects.filter(matter=matter).exists()
    assert (Actor.objects.count(), Issue.objects.count(), Citation.objects.count()) == (actors_before, issues_before, 0)


def test_duplicate_external_ids_and_deleted_exhibits_are_invalid(matter, user, exhibit):
    document_delete(document=exhibit, user=user, reason="test")
    data = b"Date,Title,Ref,Source\nAug 2024,One,r1,\nSept 2024,Two,r1,\nOct 2024,Three,r3,PX-1 p. 4\n"
    errors = [(e.row, e.column, e.reason) for e in run(matter, user, "d.csv", data).plan.errors]
    assert errors == [
        (3, "Ref", "the id “r1” is also on row 2"),
        (4, "Source", "PX-1 is deleted; restore it or remove the citation"),
    ]


def test_a_file_without_a_title_or_a_date_column_is_unusable(matter, user):
    with pytest.raises(UnusableInputError, match="has no title column"):
        run(matter, user, "no_title.csv")
    with pytest.raises(UnusableInputError, match="has no date column"):
        run(matter, user, "x.csv", b"Title\nOne\n")
