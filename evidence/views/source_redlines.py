"""The redline of any two versions of a tracked source: a page (the later version's text with the earlier one's
words struck through and its own underlined, unchanged stretches folded) and the same as a PDF.

`?from=N&to=M` name the versions by their exhibit numbers; without them the last two versions in the source's order
are compared, and two named in the wrong order are compared from the earlier to the later. The source is looked up
inside the matter the user is a member of (a viewer suffices; a non-member gets a 404, as for a source that does not
exist); the PDF, an export, is recorded in the access log, and one of a privileged document is for those who may
export privileged material.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from evidence.downloads import serve_source_redline
from evidence.integrity import IntegrityFailure
from evidence.models import Role
from evidence.permissions import get_matter_for
from evidence.selectors_sources import source_versions, sources_for_matter
from evidence.tracked.comparison import chosen_versions, source_comparison
from evidence.tracked.text import TextRefused
from evidence.views.access import address_of, integrity_failure_page
from evidence.views.matters import matter_context


def _source(request, slug, pk):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    return get_object_or_404(sources_for_matter(matter), pk=pk)


@login_required
@require_GET
def source_redline(request, slug, pk):
    source = _source(request, slug, pk)
    versions = source_versions(source)
    context = matter_context(request, source.matter, nav="sources", source=source, versions=versions)
    try:
        older, newer = chosen_versions(versions, request.GET.get("from"), request.GET.get("to"))
    except LookupError as error:
        status = 404 if request.GET.get("from") or request.GET.get("to") else 200
        return render(request, "evidence/sources/redline.html", {**context, "problem": str(error)}, status=status)
    context.update(older=older, newer=newer)
    try:
        comparison = source_comparison(source=source, older=older, newer=newer, user=request.user)
    except TextRefused as error:
        return render(request, "evidence/sources/redline.html", {**context, "problem": str(error)}, status=422)
    except IntegrityFailure as failure:
        return integrity_failure_page(request, source.matter, failure, label=source.name, nav="sources")
    context.update(comparison=comparison, stretches=comparison.redline.stretches())
    return render(request, "evidence/sources/redline.html", context)


@login_required
@require_GET
def source_redline_pdf(request, slug, pk):
    from evidence.services.chain import chain_head
    from evidence.tracked.redline_pdf import render_source_redline

    source = _source(request, slug, pk)
    try:
        older, newer = chosen_versions(source_versions(source), request.GET.get("from"), request.GET.get("to"))
        comparison = source_comparison(source=source, older=older, newer=newer, user=request.user, export=True)
    except (LookupError, TextRefused) as error:
        raise Http404(str(error)) from None
    except IntegrityFailure as failure:
        return integrity_failure_page(request, source.matter, failure, label=source.name, nav="sources")
    content = render_source_redline(comparison, user=request.user, chain_head=chain_head(source.matter).head_text)
    return serve_source_redline(
        user=request.user,
        comparison=comparison,
        content=content,
        filename=comparison.filename,
        address=address_of(request),
    )
