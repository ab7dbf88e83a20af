"""`manage.py in_force` on tracked sources made through the services: what it prints for each source, an audience
taken by name, bad input refused with a clear message and nothing printed, members only."""

import pytest

from evidence.models import Role
from evidence.services.matters import membership_set
from tests.commands.support import run_command
from tests.factories import UserFactory
from tests.tracked.sources import make_sources

pytestmark = pytest.mark.django_db

GAP = (
    "v2 was last seen Sept 3, 2024, 9:00 AM PDT and v3 was first seen Sept 18, 2024, 10:02 AM PDT: a change between "
    "them may fall on the date."
)


@pytest.fixture
def sources(matter, user):
    return make_sources(matter, user)


def test_the_command_prints_each_source_with_the_versions_in_force_and_why(matter, user, sources):
    code, out, err = run_command(
        "in_force", "--matter", matter.slug, "--date", "Sept 10, 2024", "--user", user.username
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"In force on Sept 10, 2024 (Sept 10, 2024) in {matter.slug}, for everyone."
    assert "Privacy Policy [Policy] (illustrative text, not the real wording)" in lines
    assert "  Either v2 or v3 may apply" in lines
    assert f"    - {GAP}" in lines
    p3 = sources.p3.document.exhibit_label
    assert f"    v3  {p3}  captured Sept 18, 2024, 10:02 AM PDT" in lines
    faq = lines.index("Generative AI FAQ [FAQ / help page]")
    assert lines[faq + 1 : faq + 3] == [
        "  The answer depends on the audience:",
        "  Everyone not in “Premium members”: v1",
    ]


def test_the_command_takes_an_audience_by_name(matter, user, sources):
    code, out, _ = run_command(
        "in_force", "--matter", matter.slug, "--date", "Sept 2024", "--audience", "premium MEMBERS", "--user",
        user.username,
    )  # fmt: skip
    assert code == 0
    assert "for Premium members." in out.splitlines()[0]
    assert "  Premium members: v2" in out.splitlines()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "sometime"], "could not read 'sometime' as a date"),
        (["--date", "unknown"], "Give the date to ask about"),
        (["--date", "Aug 2024", "--audience", "Gold"], "No audience “Gold” in"),
    ],
)
def test_the_command_refuses_bad_input_clearly(matter, user, sources, args, message):
    code, out, err = run_command("in_force", "--matter", matter.slug, "--user", user.username, *args)
    assert code == 1 and out == ""
    assert message in err
    if "Gold" in message:
        assert "its audiences: “Premium members”." in err


def test_the_command_answers_members_only(matter, sources):
    outsider = UserFactory()
    code, _, err = run_command("in_force", "--matter", matter.slug, "--date", "Aug 2024", "--user", outsider.username)
    assert code == 1 and "may see" in err
    viewer = UserFactory()
    membership_set(matter=matter, user=matter.memberships.first().user, member=viewer, role=Role.VIEWER, reason="t")
    code, out, _ = run_command("in_force", "--matter", matter.slug, "--date", "Aug 2024", "--user", viewer.username)
    assert code == 0 and "Either v1 or v2 may apply" in out
