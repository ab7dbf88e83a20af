"""The write (evidence/importing/apply.py, bulk.py): all or nothing, with history like a save through the services."""

import pytest

from evidence.importing import bulk
from evidence.models import Actor, Citation, Event
from tests.factories import make_event
from tests.importing.support import run


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


def test_bulk_rows_keep_tabs_backslashes_and_newlines(matter, exhibit):
    event = make_event(matter)
    awkward = "p. 3\t¶ 4\\n \\\\ \n end"
    bulk.bulk_insert(Citation, ["event", "document", "pinpoint", "note"], [(event.pk, exhibit.pk, awkward, "")])
    assert list(Citation.objects.filter(event=event).values_list("pinpoint", "note")) == [(awkward, "")]
