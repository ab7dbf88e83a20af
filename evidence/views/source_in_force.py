"""A tracked source's version as a capture certificate (evidence.tracked.certificate): a PDF made now, read, like the
version's page, by any member of the matter, and recorded in the access log before it is sent."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from evidence import downloads
from evidence.integrity import IntegrityFailure
from evidence.models import Role, SourceVersion
from evidence.permissions import get_matter_for
from evidence.selectors_sources import version_of
from evidence.views.access import address_of, integrity_failure_page


@login_required
@require_GET
def version_certificate(request, slug, pk, version):
    """The capture certificate of version `version` of source `pk`, as a PDF made now: recorded in the access log as
    an export of the document's certificate before it is sent."""
    from evidence.tracked.certificate import certificate_filename, certificate_for, render_certificate

    matter = get_matter_for(request.user, slug, Role.VIEWER)
    try:
        version = version_of(matter, version, include_deleted=False)
    except SourceVersion.DoesNotExist as error:
        raise Http404("No such version.") from error
    if version.source_id != pk:
        raise Http404("No such version.")
    try:
        certificate = certificate_for(version, user=request.user)
    except IntegrityFailure as failure:
        return integrity_failure_page(request, matter, failure, label=version.document.exhibit_label, nav="sources")
    return downloads.serve_certificate(
        user=request.user,
        version=version,
        content=render_certificate(certificate),
        filename=certificate_filename(certificate),
        address=address_of(request),
    )
