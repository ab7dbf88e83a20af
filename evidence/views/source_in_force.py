"""The "In force on" page: which version of each tracked source applied on a date, for an audience or for everyone,
with the versions around it and why (evidence.tracked.in_force). A GET form, so an answer is a link; viewers may ask.
The capture certificate of a version (evidence.tracked.certificate) is sent from here too: it is read, like the page,
by any member."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from evidence import downloads
from evidence.forms.in_force import InForceForm
from evidence.integrity import IntegrityFailure
from evidence.models import Role, SourceVersion
from evidence.permissions import get_matter_for
from evidence.selectors_sources import version_of
from evidence.text import shown
from evidence.tracked.in_force import in_force_for_matter
from evidence.views.access import address_of, integrity_failure_page
from evidence.views.matters import matter_context


@login_required
@require_GET
def source_in_force(request, slug):
    matter = get_matter_for(request.user, slug, Role.VIEWER)
    form = InForceForm(request.GET or None, matter=matter)
    context = {"form": form, "results": None}
    if form.is_bound and form.is_valid():
        query, audience = form.cleaned_data["date"], form.cleaned_data["audience"]
        results = in_force_for_matter(matter=matter, query=query, audience=audience)
        context.update(
            asked=query.display(),
            audience=shown(audience.name) if audience else "",
            covers=results[0].result.covers if results else "",
            notes=results[0].result.notes if results else (),
            results=[_source_row(matter, row) for row in results],
        )
    return render(request, "evidence/sources/in_force.html", matter_context(request, matter, nav="sources", **context))


def _source_row(matter, row) -> dict:
    source, result = row.source, row.result
    return {
        "name": shown(source.name),
        "href": reverse("source_detail", args=[matter.slug, source.pk]),
        "kind": source.get_kind_display(),
        "illustrative": source.is_illustrative,
        "depends": result.depends_on_audience,
        "scoped": result.audience is not None or result.depends_on_audience,
        "answers": [
            {
                "scope": shown(answer.scope),
                "summary": answer.summary,
                "state": "certain" if answer.certain else ("none" if not answer.versions else "uncertain"),
                "versions": [_version(matter, facts) for facts in answer.versions],
                "before": _version(matter, answer.before) if answer.before else None,
                "after": _version(matter, answer.after) if answer.after else None,
                "reasons": answer.reasons,
            }
            for answer in result.answers
        ],
    }


def _version(matter, facts) -> dict:
    version = facts.ref
    known = [
        ("effective", facts.effective.display() if not facts.effective.undated else ""),
        ("first seen", facts.first_seen.display() if not facts.first_seen.undated else ""),
    ]
    return {
        "label": facts.label,
        "exhibit": version.document.exhibit_label,
        "href": reverse("version_detail", args=[matter.slug, version.source_id, version.pk]),
        "dates": "; ".join(f"{name} {value}" for name, value in known if value),
        "captured": version.captured_at,
        "audiences": sorted((shown(name) for name in facts.audiences), key=str.casefold),
    }


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
