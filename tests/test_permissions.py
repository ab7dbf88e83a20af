import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from evidence.models import Role
from evidence.permissions import get_matter_for, has_role, matters_for, require_role
from tests.factories import UserFactory, make_document, make_matter


def test_a_user_sees_only_his_matters(db):
    alice, bob = UserFactory(), UserFactory()
    mine = make_matter(owner=alice)
    make_matter(owner=bob)
    assert list(matters_for(alice)) == [mine]


def test_superuser_sees_all_and_anonymous_none(db):
    from django.contrib.auth.models import AnonymousUser

    make_matter(), make_matter()
    assert matters_for(UserFactory(superuser=True)).count() == 2
    assert matters_for(AnonymousUser()).count() == 0


def test_roles_rank_viewer_editor_owner(db):
    owner, viewer, stranger = UserFactory(), UserFactory(), UserFactory()
    matter = make_matter(owner=owner, members={viewer: "viewer"})
    assert has_role(owner, matter, Role.OWNER)
    assert has_role(viewer, matter, Role.VIEWER) and not has_role(viewer, matter, Role.EDITOR)
    with pytest.raises(PermissionDenied):
        require_role(viewer, matter, Role.EDITOR)
    with pytest.raises(Http404):  # a stranger cannot tell the matter exists
        get_matter_for(stranger, matter.slug)
    with pytest.raises(Http404):
        get_matter_for(stranger, "no-such-matter")


def test_document_download_is_checked_and_safe(client, db):
    owner, stranger = UserFactory(), UserFactory()
    matter = make_matter(owner=owner)
    doc = make_document(matter, content=b"<html><script>alert(1)</script></html>", filename='evil "name".html')
    url = f"/m/{matter.slug}/documents/{doc.pk}/file?inline=1"

    client.force_login(stranger)
    assert client.get(url).status_code == 404

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<html><script>alert(1)</script></html>"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")  # HTML is never shown inline
    assert response["Content-Disposition"] == 'attachment; filename="PX-1_evil_name.html"'
    assert response["Content-Type"] == "text/html"

    unicode_doc = make_document(matter, content=b"plain text", filename="Schriftsatz über Daten.txt")
    response = client.get(f"/m/{matter.slug}/documents/{unicode_doc.pk}/file?inline=1")
    assert response["Content-Disposition"] == "inline; filename*=utf-8''PX-2_Schriftsatz_%C3%BCber_Daten.txt"
