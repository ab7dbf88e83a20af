"""Who sees which edition: the matter's members see its editions (listed, downloaded, compared, as a redline);
an edition that took privileged events in only those who may export them (editors and owners), a viewer getting a
404 as for one that does not exist; a non-member a 404 for everything."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.models import AccessEvent
from tests import factories
from tests.commands.support import run_command
from tests.editions.support import cited_matter, export_edition

pytestmark = pytest.mark.django_db

PAGES = ("edition_compare", "edition_download", "edition_redline")


def url(name, matter, *args):
    return reverse(name, args=[matter.slug, *args])


@pytest.fixture
def editions(matter, user, editor, tmp_path):
    """Edition 1 without privileged events (made by a viewer's right), edition 2 with them (made by an editor)."""
    cited_matter(matter, user)
    plain, _ = export_edition(matter, user, tmp_path)
    privileged, _ = export_edition(matter, editor, tmp_path, "--include-privileged")
    assert not plain.includes_privileged and privileged.includes_privileged
    return plain, privileged


@pytest.mark.parametrize(
    ("who", "plain", "privileged"),
    [("owner", 200, 200), ("editor", 200, 200), ("viewer", 200, 404), ("outsider", 404, 404)],
)
def test_each_role_sees_the_editions_it_may(client, matter, user, editor, viewer, outsider, editions, who, plain,
                                            privileged):  # fmt: skip
    account = {"owner": user, "editor": editor, "viewer": viewer, "outsider": outsider}[who]
    client.force_login(account)
    for edition, status in zip(editions, (plain, privileged), strict=True):
        for name in PAGES:
            response = client.get(url(name, matter, edition.number))
            assert response.status_code == status, (name, edition.number, who)
    listing = client.get(url("export", matter))
    if who == "outsider":
        assert listing.status_code == 404
        return
    html = listing.content.decode()
    assert editions[0].sha256 in html
    assert (editions[1].sha256 in html) == (privileged == 200)


def test_anonymous_is_sent_to_log_in(client, matter, editions):
    for name in PAGES:
        response = client.get(url(name, matter, 1))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_edition_of_another_matter_is_not_found_through_this_one(client, matter, user, tmp_path, editions):
    other = factories.make_matter(owner=user)
    client.force_login(user)
    assert client.get(url("edition_compare", other, 1)).status_code == 404
    assert client.get(url("edition_download", matter, 99)).status_code == 404


def test_downloads_are_recorded_in_the_access_log(client, matter, viewer, editions):
    client.force_login(viewer)
    b"".join(client.get(url("edition_download", matter, 1)).streaming_content)
    sent = AccessEvent.objects.filter(matter=matter, kind=AccessEvent.Kind.DOWNLOAD_EXPORT).get()
    assert sent.user == viewer and sent.detail["edition"] == 1 and sent.detail["sha256"] == editions[0].sha256


def test_compare_edition_applies_the_same_rule(matter, viewer, editor, editions, tmp_path):
    out = tmp_path / "redline.pdf"
    code, _, stderr = run_command("compare_edition", "--matter", matter.slug, "--edition", "2", "--out", str(out),
                                  "--user", viewer.username)  # fmt: skip
    assert code == 2 and "No edition 2" in stderr and not out.exists()
    code, stdout, _ = run_command("compare_edition", "--matter", matter.slug, "--edition", "2", "--out", str(out),
                                  "--user", editor.username)  # fmt: skip
    assert code == 0 and out.read_bytes().startswith(b"%PDF") and "0 added, 0 removed, 0 changed" in stdout
    code, _, stderr = run_command("compare_edition", "--matter", "no-such", "--edition", "1", "--out", str(out),
                                  "--user", editor.username)  # fmt: skip
    assert code == 2


def test_the_export_page_lists_editions_in_a_fixed_number_of_queries(client, matter, user, tmp_path, editions):
    client.force_login(user)
    client.get(url("export", matter))
    with CaptureQueriesContext(connection) as two:
        client.get(url("export", matter))
    for _ in range(3):
        export_edition(matter, user, tmp_path)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url("export", matter)).content.decode()
    assert html.count("Compare with now") == 5
    assert len(five) == len(two)


def test_a_viewer_cannot_compare_with_a_privileged_edition(client, matter, viewer, editions):
    client.force_login(viewer)
    assert client.get(url("edition_compare", matter, 1) + "?against=2").status_code == 404
    assert client.get(url("edition_redline", matter, 1) + "?against=2").status_code == 404
    html = client.get(url("edition_compare", matter, 1)).content.decode()
    assert 'value="2"' not in html  # not offered either
