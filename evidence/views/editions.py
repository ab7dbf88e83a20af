"""The kept editions of a matter's chronology (listed on the export page): each one's file, and its comparison with
the chronology now (or with another edition, `?against=N`), as a page and as a redline PDF.

An edition is looked up inside the matter the user is a member of, and shown only to whom may see it
(permissions.require_edition): a non-member, and a viewer asking for an edition that took privileged events in, get
a 404, as for an edition that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from evidence import selectors
from evidence.downloads import IntegrityFailure, serve_edition, serve_redline
from evidence.models import Edition, Role
from evidence.permissions import get_matter_for, require_edition
from evidence.views.access import address_of, integrity_failure_page
from evidence.views.matters import matter_context


def _edition_for(request, slug, number) -> Edition:
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    edition = get_object_or_404(selectors.editions_of(matter=matter, user=request.user), number=number)
    require_edition(request.user, edition)
    return edition


def _against(request, edition: Edition) -> Edition | None:
    """The other edition `?against=N` names (one the user may see), or None: compared with now."""
    number = request.GET.get("against", "")
    if not number:
        return None
    if not number.isdigit() or int(number) == edition.number:
        raise Http404("No such edition to compare with.")
    return _edition_for(request, edition.matter.slug, int(number))


@login_required
@require_GET
def edition_download(request, slug, number):
    edition = _edition_for(request, slug, number)
    try:
        return serve_edition(user=request.user, edition=edition, address=address_of(request))
    except IntegrityFailure as failure:
        return integrity_failure_page(request, edition.matter, failure, label=edition.filename, nav="export")


@login_required
@require_GET
def edition_compare(request, slug, number):
    """What changed since the edition, event by event, with a link to the same as a redline PDF."""
    from evidence.editions.reading import edition_comparison  # the exporters: loaded on first use only

    edition = _edition_for(request, slug, number)
    against = _against(request, edition)
    try:
        comparison = edition_comparison(edition=edition, user=request.user, against=against)
    except IntegrityFailure as failure:
        return integrity_failure_page(request, edition.matter, failure, label=edition.filename, nav="export")
    others = selectors.editions_of(matter=edition.matter, user=request.user).exclude(pk=edition.pk)
    return render(
        request,
        "evidence/editions/compare.html",
        matter_context(request, edition.matter, nav="export", edition=edition, comparison=comparison, others=others),
    )


@login_required
@require_GET
def edition_redline(request, slug, number):
    from evidence.editions.reading import edition_comparison
    from evidence.editions.redline import redline_filename, render_redline

    edition = _edition_for(request, slug, number)
    against = _against(request, edition)
    try:
        comparison = edition_comparison(edition=edition, user=request.user, against=against)
    except IntegrityFailure as failure:
        return integrity_failure_page(request, edition.matter, failure, label=edition.filename, nav="export")
    return serve_redline(
        user=request.user,
        edition=edition,
        content=render_redline(comparison),
        filename=redline_filename(comparison),
        address=address_of(request),
    )
