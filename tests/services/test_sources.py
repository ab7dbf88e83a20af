"""Tracked sources, their versions and audiences: every write through the services, with history and the history
chain; bad input refused with nothing written; the order in which a source changed; the event a version proposes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from evidence import dates
from evidence.models import (
    EventKind,
    HistoryLink,
    SourceVersion,
    TrackedSource,
)
from evidence.selectors_sources import (
    source_versions,
    sources_for_matter,
    version_added_by,
    versions_added_by,
)
from evidence.services.chain import verify_chains
from evidence.services.documents import document_delete
from evidence.services.matters import matter_update
from evidence.services.sources import (
    audience_create,
    audience_retire,
    proposed_version_event,
    source_create,
    source_delete,
    source_restore,
    source_update,
    version_add,
    version_delete,
    version_restore,
    version_update,
)
from tests.factories import make_document, make_matter, make_source, make_version

UTC = dt.UTC


def test_a_source_is_created_changed_deleted_and_restored_with_history(matter, user):
    source = source_create(matter=matter, user=user, name="  Privacy   Policy ", kind="policy",
                           url=" https://www.linkedin.com/legal/privacy-policy ", reason="tracked")  # fmt: skip
    assert (source.name, source.url) == ("Privacy Policy", "https://www.linkedin.com/legal/privacy-policy")
    source_update(source=source, user=user, reason="renamed", name="LinkedIn Privacy Policy", is_illustrative=True)
    source_delete(source=source, user=user, reason="entered twice")
    assert not sources_for_matter(matter).exists()
    assert list(sources_for_matter(matter, include_deleted=True)) == [source]
    source_restore(source=source, user=user, reason="needed after all")
    rows = list(source.history.order_by("history_id"))
    assert [(r.history_type, r.history_change_reason, r.history_user) for r in rows] == [
        ("+", "tracked", user), ("~", "renamed", user), ("~", "entered twice", user), ("~", "needed after all", user)
    ]  # fmt: skip
    assert rows[-1].name == "LinkedIn Privacy Policy" and rows[-1].is_illustrative and rows[-1].deleted_at is None
    assert not verify_chains().problems


def test_a_source_name_the_matter_has_in_any_case_is_refused(matter, user):
    make_source(matter, name="Privacy Policy")
    with pytest.raises(ValidationError, match="already in this matter"):
        source_create(matter=matter, user=user, name="privacy policy", kind="faq", reason="again")
    other = make_source(matter, name="FAQ", kind="faq")
    with pytest.raises(ValidationError, match="already in this matter"):
        source_update(source=other, user=user, reason="rename", name="PRIVACY POLICY")
    assert TrackedSource.objects.filter(matter=matter).count() == 2


def test_bad_kinds_and_urls_are_refused(matter, user):
    with pytest.raises(ValidationError) as refused:
        source_create(matter=matter, user=user, name="X", kind="blog", url="not a url", reason="bad")
    assert set(refused.value.message_dict) == {"kind", "url"}
    assert not TrackedSource.objects.exists()


def test_audiences_are_per_matter_unique_and_retired_not_deleted(matter, user):
    audience = audience_create(matter=matter, user=user, name="Members in the UK, EEA and Switzerland", reason="r")
    with pytest.raises(ValidationError, match="already in this matter"):
        audience_create(matter=matter, user=user, name="members in the uk, eea and switzerland", reason="r")
    other = make_matter(owner=user, slug="other")  # another matter may use the name
    audience_create(matter=other, user=user, name="Members in the UK, EEA and Switzerland", reason="r")
    audience_retire(audience=audience, user=user, reason="no longer used")
    audience.refresh_from_db()
    assert audience.retired_at is not None
    assert [r.history_change_reason for r in audience.history.order_by("history_id")] == ["r", "no longer used"]


def test_a_version_is_a_document_with_its_dates_audiences_and_one_history_row(matter, user):
    source = make_source(matter)
    document = make_document(matter, content=b"<h1>Privacy Policy</h1><p>v1</p>", filename="v1.html")
    uk = audience_create(matter=matter, user=user, name="UK, EEA, Switzerland", reason="r")
    captured = dt.datetime(2024, 9, 18, 16, 5, tzinfo=UTC)
    version = version_add(source=source, document=document, user=user, capture_method="web_archive",
                          captured_at=captured, first_seen="Sept 18, 2024", effective="c. Nov 2023",
                          audiences=[uk], note="From the Wayback Machine", reason="captured")  # fmt: skip
    version = SourceVersion.objects.get(pk=version.pk)
    assert version.matter == matter and version.document.exhibit_label == document.exhibit_label
    assert version.effective_date.display() == "c. Nov 2023"
    assert (version.effective_first_day, version.effective_last_day) == (dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    assert version.first_seen_date.display() == "Sept 18, 2024"
    assert version.first_seen_first_day == version.first_seen_last_day == dt.date(2024, 9, 18)
    assert list(version.audiences.all()) == [uk]
    history = list(version.history.all())
    assert len(history) == 1 and history[0].history_change_reason == "captured"
    assert [row.audience for row in history[0].audiences.all()] == [uk]
    assert version_added_by(version) == user
    assert not verify_chains().problems


def test_undated_versions_keep_empty_columns(matter, user):
    version = make_version(make_source(matter))
    assert version.effective_date.undated and version.first_seen_date.undated
    assert (version.effective_first_day, version.first_seen_last_day) == (None, None)
    assert version.effective_sort == dates.UNDATED_SORT_KEY


def test_a_version_and_its_audiences_are_in_the_history_chain_and_a_change_behind_its_back_is_named(matter, user):
    source = make_source(matter)
    uk = audience_create(matter=matter, user=user, name="UK", reason="r")
    version = make_version(source, audiences=[uk])
    version_update(version=version, user=user, reason="effective date read from the page", effective="Nov 20, 2024")
    labels = set(HistoryLink.objects.filter(matter=matter).values_list("model", flat=True))
    assert {"evidence.historicaltrackedsource", "evidence.historicalsourceversion",
            "evidence.historicalsourceversion_audiences", "evidence.historicalaudience"} <= labels  # fmt: skip
    assert not verify_chains().problems

    rows = version.history.order_by("history_id")
    first = rows.first()
    table = first.audiences.model._meta.db_table
    with connection.cursor() as cursor:  # behind the app's back: an audience row of the first version goes
        cursor.execute(f"UPDATE {table} SET audience_id = NULL WHERE history_id = %s", [first.history_id])
    problems = verify_chains().problems
    assert len(problems) == 1 and "Sourceversion audiences history" in problems[0]


def test_the_matter_chain_walks_sources_when_a_row_is_added_behind_its_back(matter, user):
    source = make_source(matter)
    row = source.history.first()
    row.pk = None
    row.history_change_reason = "forged"
    row.save()
    assert verify_chains().problems == [
        f"matter {matter.slug}: Trackedsource history #{row.history_id} is not in the history chain"
    ]


def test_version_add_refuses_bad_input_and_writes_nothing(matter, user):
    source = make_source(matter)
    other = make_matter(owner=user, slug="elsewhere")
    foreign = make_document(other, content=b"other matter")
    document = make_document(matter, content=b"ours")
    foreign_audience = audience_create(matter=other, user=user, name="UK", reason="r")
    before = (SourceVersion.objects.count(), SourceVersion.history.count(), HistoryLink.objects.count())

    cases = [
        ({"document": foreign}, "evidence in this source's matter"),
        ({"document": document, "audiences": [foreign_audience]}, "one of this matter's"),
        ({"document": document, "captured_at": dt.datetime(2024, 9, 18, 12, 0)}, "needs its time zone"),
        ({"document": document, "effective": "Sept 31, 2024"}, "September has 30 days"),
        ({"document": document, "capture_method": "fax"}, "not a valid choice"),
    ]
    for kwargs, message in cases:
        kwargs = {"capture_method": "upload", **kwargs}
        with pytest.raises(ValidationError, match=message):
            version_add(source=source, user=user, reason="r", **kwargs)
    assert (SourceVersion.objects.count(), SourceVersion.history.count(), HistoryLink.objects.count()) == before


def test_a_document_is_one_version_of_a_source_once(matter, user):
    source = make_source(matter)
    version = make_version(source)
    with pytest.raises(ValidationError, match="already a version of “Privacy Policy”"):
        make_version(source, document=version.document)
    version_delete(version=version, user=user, reason="wrong page")
    with pytest.raises(ValidationError, match="deleted: restore it instead"):
        make_version(source, document=version.document)
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceVersion.objects.create(matter=matter, source=source, document=version.document)
    # Another source may have the same document as its version (a page that holds both).
    assert make_version(make_source(matter, name="FAQ", kind="faq"), document=version.document)


def test_no_version_of_a_deleted_source_or_a_deleted_document(matter, user):
    source = make_source(matter)
    document = make_document(matter, content=b"x")
    source_delete(source=source, user=user, reason="r")
    with pytest.raises(ValidationError, match="restore it before adding a version"):
        make_version(source, document=document)
    source_restore(source=source, user=user, reason="r")
    document_delete(document=document, user=user, reason="r")
    with pytest.raises(ValidationError, match="is deleted: restore it first"):
        make_version(source, document=document)


def test_versions_are_soft_deleted_and_restored_keeping_their_audiences(matter, user):
    source = make_source(matter)
    uk = audience_create(matter=matter, user=user, name="UK", reason="r")
    version = make_version(source, audiences=[uk])
    version_delete(version=version, user=user, reason="duplicate capture")
    assert source_versions(source) == []
    assert source_versions(source, include_deleted=True) == [version]
    version_restore(version=version, user=user, reason="not a duplicate")
    assert source_versions(source) == [version]
    last = version.history.order_by("history_id").last()
    assert [row.audience for row in last.audiences.all()] == [uk]
    assert not verify_chains().problems


def test_version_update_changes_dates_and_audiences_and_leaves_the_rest(matter, user):
    source = make_source(matter)
    uk, eu = (audience_create(matter=matter, user=user, name=n, reason="r") for n in ("UK", "EU"))
    version = make_version(source, effective="Nov 2023", audiences=[uk])
    version_update(version=version, user=user, reason="r", first_seen="Aug 12, 2024", audiences=[eu], note="n")
    version.refresh_from_db()
    assert version.effective_date.display() == "Nov 2023"  # not given: kept
    assert version.first_seen_date.display() == "Aug 12, 2024" and version.note == "n"
    assert list(version.audiences.all()) == [eu]
    version_update(version=version, user=user, reason="r", effective=dates.UNDATED)
    version.refresh_from_db()
    assert version.effective_date.undated and list(version.audiences.all()) == [eu]
    with pytest.raises(TypeError, match="document"):
        version_update(version=version, user=user, reason="r", document=None)


def test_versions_are_ordered_by_effective_else_first_seen_else_capture_time_then_exhibit(matter, user):
    source = make_source(matter)
    a = make_version(source, captured_at=dt.datetime(2024, 10, 1, tzinfo=UTC))  # capture time only: Oct 1
    b = make_version(source, effective="Nov 2023")
    c = make_version(source, first_seen="Aug 2024")
    d = make_version(source, first_seen="Aug 15, 2024", effective="Sept 18, 2024")  # effective wins
    e = make_version(source)  # nothing known: last
    f = make_version(source, effective="Nov 2023")  # a tie with b: by exhibit number
    assert source_versions(source) == [b, f, c, d, a, e]
    fetched = sources_for_matter(matter).get()
    assert source_versions(fetched) == [b, f, c, d, a, e]


def test_sources_and_their_versions_are_read_in_a_fixed_number_of_queries(matter, user, django_assert_max_num_queries):
    for n in range(3):
        source = make_source(matter, name=f"Source {n}")
        for _ in range(3):
            make_version(source, audiences=[audience_create(matter=matter, user=user, name=f"A{_}{n}", reason="r")])
    with django_assert_max_num_queries(4):
        for source in sources_for_matter(matter):
            for version in source_versions(source):
                assert version.document.exhibit_label and version.matter.time_zone
                list(version.audiences.all())
    versions = list(SourceVersion.objects.all())
    with django_assert_max_num_queries(1):
        assert set(versions_added_by(versions).values()) == {user}


def test_a_time_zone_change_rederives_a_timed_version_date(matter, user):
    version = make_version(make_source(matter), first_seen="Aug 15, 2024, 11:30 PM PDT")
    assert version.first_seen_first_day == dt.date(2024, 8, 15)
    matter_update(matter=matter, user=user, reason="the case is in New York", time_zone="America/New_York")
    version.refresh_from_db()
    assert version.first_seen_first_day == dt.date(2024, 8, 16)


def test_a_later_version_proposes_an_amendment_dated_by_its_effective_date_citing_both(matter, user):
    source = make_source(matter)
    v1 = make_version(source, effective="Nov 2023")
    v2 = make_version(source, effective="Nov 20, 2024", first_seen="Sept 18, 2024")
    proposal = proposed_version_event(v2)
    assert proposal["title"] == "Privacy Policy amended" and proposal["kind"] == EventKind.POLICY_EDIT
    assert proposal["date"].display() == "Nov 20, 2024"
    assert [(doc, note) for doc, _, note in proposal["citations"]] == [
        (v1.document, "Privacy Policy, version before"), (v2.document, "Privacy Policy, new version")
    ]  # fmt: skip
    assert v2.document.exhibit_label in proposal["description"] and v1.document.exhibit_label in proposal["description"]


def test_without_an_effective_date_the_proposal_is_the_window_between_captures(matter, user):
    faq = make_source(matter, name="Generative AI FAQ", kind="faq")
    make_version(faq, captured_at=dt.datetime(2024, 8, 12, 17, 0, tzinfo=UTC), first_seen="Aug 2024")
    v2 = make_version(faq, first_seen="Sept 18, 2024", captured_at=dt.datetime(2024, 9, 19, tzinfo=UTC))
    proposal = proposed_version_event(v2)
    assert proposal["title"] == "Generative AI FAQ changed" and proposal["kind"] == EventKind.HELP_PAGE_EDIT
    assert proposal["date"].display() == "Aug 12 – Sept 18, 2024"


def test_first_versions_propose_publication_or_first_capture_and_a_setting_its_introduction(matter, user):
    setting = make_source(matter, name="Data for Generative AI Improvement setting", kind="setting")
    first = make_version(setting, effective="Aug 2024")
    proposal = proposed_version_event(first)
    assert proposal["title"] == "Data for Generative AI Improvement setting introduced"
    assert proposal["kind"] == EventKind.SETTING_INTRODUCED and proposal["date"].display() == "Aug 2024"
    assert [note for _, _, note in proposal["citations"]] == ["Data for Generative AI Improvement setting, new version"]
    second = make_version(setting, captured_at=dt.datetime(2024, 9, 20, 15, 0, tzinfo=UTC))
    assert proposed_version_event(second)["kind"] == EventKind.SETTING_CHANGED
    assert proposed_version_event(second)["date"].display() == "Aug 2024 – Sept 20, 2024"

    policy = make_source(matter, name="Terms", kind="terms")
    seen = make_version(policy, captured_at=dt.datetime(2024, 9, 20, 15, 0, tzinfo=UTC))
    proposal = proposed_version_event(seen)
    assert (proposal["title"], proposal["date"].display()) == ("Terms first captured", "Sept 20, 2024")


def test_a_proposal_with_only_one_sighting_says_before_or_after(matter, user):
    source = make_source(matter)
    make_version(source, first_seen="Aug 2024")
    later = make_version(source)
    later_proposal = proposed_version_event(later)
    assert later_proposal["date"].display() == "after Aug 2024"
