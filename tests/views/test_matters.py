"""The matters list, creating a matter, and the members page (owners only)."""

import pytest
from django.urls import reverse

from evidence.models import Matter, Membership, Role
from evidence.services.matters import membership_set
from tests import factories


@pytest.fixture
def owner_client(client, user):
    client.force_login(user)
    return client


def test_pages_need_a_login(client, matter):
    for url in (reverse("home"), reverse("matter_new"), reverse("matter_members", args=[matter.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_matters_list_shows_only_the_users_matters_with_counts(owner_client, user, matter):
    factories.make_event(matter, title="One")
    factories.make_event(matter, title="Two")
    factories.make_document(matter)
    other = factories.make_matter(short_title="Someone else's case")
    page = owner_client.get(reverse("home")).content.decode()
    assert matter.short_title in page and other.short_title not in page
    assert reverse("timeline", args=[matter.slug]) in page
    row = page[page.index(matter.short_title) :]
    assert '<td class="num">2</td>' in row and '<td class="num">1</td>' in row


def test_matters_list_query_count_does_not_grow(owner_client, user, django_assert_num_queries):
    for _ in range(3):
        factories.make_matter(owner=user)
    with django_assert_num_queries(3):  # session, user, matters with counts
        owner_client.get(reverse("home"))
    for _ in range(5):
        factories.make_matter(owner=user)
    with django_assert_num_queries(3):
        owner_client.get(reverse("home"))


def test_create_a_matter_makes_the_creator_owner(owner_client, user):
    response = owner_client.post(
        reverse("matter_new"),
        {
            "short_title": "Roe v. Widget",
            "slug": "roe-widget",
            "time_zone": "America/New_York",
            "exhibit_prefix": "DX-",
        },
        follow=True,
    )
    matter = Matter.objects.get(slug="roe-widget")
    assert response.redirect_chain[-1][0] == reverse("timeline", args=["roe-widget"])
    assert Membership.objects.get(matter=matter, user=user).role == Role.OWNER
    assert "Matter “Roe v. Widget” created" in response.content.decode()
    assert matter.history.first().history_user == user


def test_create_a_matter_keeps_the_input_on_error(owner_client, matter):
    response = owner_client.post(
        reverse("matter_new"),
        {"short_title": "Roe v. Widget", "slug": matter.slug, "time_zone": "Mars/Olympus", "exhibit_prefix": "PX-"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Roe v. Widget"' in page
    assert f"“{matter.slug}” is taken by another matter; choose another." in page
    assert "“Mars/Olympus” is not a time zone of the list; choose one, such as America/New_York." in page
    assert Matter.objects.count() == 1


def test_the_slug_help_and_its_error_state_one_rule(owner_client):
    page = owner_client.get(reverse("matter_new")).content.decode()
    assert "Short name for addresses and commands: letters, digits and hyphens, e.g. “doe-v-linkedin”." in page
    data = {"short_title": "Roe v. Widget", "slug": "roe_widget!", "time_zone": "UTC", "exhibit_prefix": "PX-"}
    page = owner_client.post(reverse("matter_new"), data).content.decode()
    assert "Use only letters, digits and hyphens, e.g. “doe-v-linkedin”." in page
    assert not Matter.objects.filter(short_title="Roe v. Widget").exists()


def test_a_slug_left_empty_is_made_from_the_title(owner_client, user):
    data = {"short_title": "Roe v. Widget, Inc.", "slug": "", "time_zone": "UTC", "exhibit_prefix": "PX-"}
    owner_client.post(reverse("matter_new"), data)
    owner_client.post(reverse("matter_new"), data)
    assert sorted(Matter.objects.filter(short_title="Roe v. Widget, Inc.").values_list("slug", flat=True)) == [
        "roe-v-widget-inc",
        "roe-v-widget-inc-2",
    ]
    owner_client.post(reverse("matter_new"), {**data, "slug": "Roe-Upper"})
    assert Matter.objects.filter(slug="roe-upper").exists()  # letters of either case, kept in lower case


def test_the_time_zone_is_one_of_the_list_and_the_next_matter_starts_with_the_last(owner_client, user):
    page = owner_client.get(reverse("matter_new")).content.decode()
    assert '<datalist id="time-zones">' in page and '<option value="Europe/London">' in page
    assert 'list="time-zones"' in page and 'value="America/New_York"' in page  # the default, before any matter
    assert '<option value="posix/' not in page and '<option value="EST5EDT">' not in page
    data = {"short_title": "Roe v. Widget", "slug": "", "time_zone": "europe/london", "exhibit_prefix": "PX-"}
    owner_client.post(reverse("matter_new"), data)
    assert Matter.objects.get(short_title="Roe v. Widget").time_zone == "Europe/London"  # typed in any case
    page = owner_client.get(reverse("matter_new")).content.decode()
    assert 'name="time_zone" value="Europe/London"' in page


def test_members_page_is_for_owners_only(client, matter, make_user):
    editor, stranger = make_user(), make_user()
    membership_set(matter=matter, user=matter.memberships.first().user, member=editor, role=Role.EDITOR, reason="t")
    url = reverse("matter_members", args=[matter.slug])
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add", "add-who": stranger.username, "add-role": "owner"}).status_code == 403
    assert "Members</a>" not in client.get(reverse("timeline", args=[matter.slug])).content.decode()
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_owner_sets_roles_and_removes_members(owner_client, user, matter, make_user):
    alice, bob = make_user(username="alice"), make_user(username="bob")
    for member in (alice, bob):
        membership_set(matter=matter, user=user, member=member, role=Role.VIEWER, reason="t")
    url = reverse("matter_members", args=[matter.slug])
    response = owner_client.post(url, {"action": "role", "user": alice.pk, "role": "editor"}, follow=True)
    assert "alice is now editor" in response.content.decode()
    assert Membership.objects.get(matter=matter, user=alice).role == Role.EDITOR
    response = owner_client.post(url, {"action": "remove", "user": bob.pk}, follow=True)
    assert not Membership.objects.filter(matter=matter, user=bob).exists()
    assert "bob removed" in response.content.decode()
    assert Membership.history.filter(user_id=bob.pk, history_type="-").get().history_user == user


def test_members_page_has_no_add_by_username_any_more(owner_client, matter, make_user):
    """Members join only by accepting an invitation (tests/accounts/test_invitations.py)."""
    alice = make_user(username="alice")
    url = reverse("matter_members", args=[matter.slug])
    owner_client.post(url, {"action": "add", "add-who": "alice", "add-role": "viewer"})
    assert not Membership.objects.filter(matter=matter, user=alice).exists()
    assert 'name="add-who"' not in owner_client.get(url).content.decode()


def test_an_invalid_invitation_keeps_the_input(owner_client, matter):
    response = owner_client.post(
        reverse("matter_members", args=[matter.slug]),
        {"action": "invite", "invite-email": "not-an-address", "invite-role": "editor"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in page
    assert 'value="not-an-address"' in page


def test_the_last_owner_cannot_step_down(owner_client, user, matter):
    response = owner_client.post(
        reverse("matter_members", args=[matter.slug]),
        {"action": "role", "user": user.pk, "role": "viewer"},
        follow=True,
    )
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.get(matter=matter, user=user).role == Role.OWNER


def test_login_and_logout(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "pw"}, follow=True)
    assert "Your matters" in response.content.decode()
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")


@pytest.mark.parametrize("setting", ["everyone", "Matter creators"])
def test_matter_creators_setting_lets_the_right_users_create(client, make_user, settings, setting):
    from django.contrib.auth.models import Group

    settings.MATTER_CREATORS = setting
    creator, other = make_user(), make_user()
    Group.objects.create(name="Matter creators").user_set.add(creator)
    data = {"short_title": "Roe v. Widget", "slug": "roe", "time_zone": "UTC", "exhibit_prefix": "PX-"}
    client.force_login(other)
    home, new = client.get(reverse("home")).content.decode(), client.get(reverse("matter_new"))
    if setting == "everyone":
        assert "New matter</a>" in home and new.status_code == 200
    else:
        assert "New matter</a>" not in home and new.status_code == 403
        assert client.post(reverse("matter_new"), data).status_code == 403
        assert not Matter.objects.filter(slug="roe").exists()
    client.force_login(creator)
    assert "New matter</a>" in client.get(reverse("home")).content.decode()
    assert client.post(reverse("matter_new"), data).status_code == 302
    assert Matter.objects.filter(slug="roe").exists()


def test_superusers_may_always_create_matters(client, make_user, settings):
    settings.MATTER_CREATORS = "Matter creators"
    client.force_login(make_user(superuser=True))
    assert client.get(reverse("matter_new")).status_code == 200


def test_messages_naming_a_matter_end_with_one_full_stop(owner_client, user, make_user):
    matter = factories.make_matter(owner=user, short_title="Roe v. Widget, Inc.")
    alice, bob = make_user(username="alice"), make_user(username="bob")
    for member in (alice, bob):
        membership_set(matter=matter, user=user, member=member, role=Role.VIEWER, reason="t")
    url = reverse("matter_members", args=[matter.slug])
    said = [
        str(m)
        for data in ({"action": "role", "user": alice.pk, "role": "editor"}, {"action": "remove", "user": bob.pk})
        for m in owner_client.post(url, data, follow=True).context["messages"]
    ]
    assert said == ["alice is now editor in Roe v. Widget, Inc.", "bob removed from Roe v. Widget, Inc."]
