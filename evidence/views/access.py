"""The matter's access log, for its owners: who viewed which document, downloaded which file and exported what.
And the page a refused download shows: the stored file failed its integrity check.

Non-members get a 404 for the log, as for everything in a matter; editors and viewers a 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evidence import selectors
from evidence.accounts.lockout import client_ip
from evidence.forms.access import AccessFilterForm
from evidence.integrity import IntegrityFailure
from evidence.models import Role
from evidence.permissions import get_matter_for
from evidence.views.matters import matter_context

PER_PAGE = 50


@login_required
@require_GET
def access_log(request, slug):
    matter = get_matter_for(request.user, slug, Role.OWNER)
    form = AccessFilterForm(request.GET or None, users=selectors.access_users(matter=matter))
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.access_events(matter=matter, kind=filters.get("kind", ""), user_id=filters.get("user"))
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "evidence/access/log.html",
        matter_context(
            request, matter, nav="access", form=form, page=page, filtered=bool(filters and any(filters.values()))
        ),
    )


def integrity_failure_page(request, matter, failure: IntegrityFailure, *, label: str, nav: str = "documents"):
    """The answer to a download whose stored file is not what was received (409, or 410 when it is gone)."""
    response = render(
        request,
        "evidence/access/integrity_failure.html",
        matter_context(request, matter, nav=nav, failure=failure, label=label),
        status=failure.status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def address_of(request) -> str:
    """The client address the access log keeps: the same one the login lockout counts by."""
    return client_ip(request) or ""
