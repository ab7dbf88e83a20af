from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect

from evidence.downloads import serve_document
from evidence.models import Document
from evidence.permissions import get_matter_for


@login_required
def home(request):
    return redirect("admin:index")


@login_required
def document_file(request, slug, pk):
    matter = get_matter_for(request.user, slug)
    document = Document.objects.filter(matter=matter, pk=pk).select_related("matter").first()
    if document is None:
        raise Http404("No such document.")
    return serve_document(user=request.user, document=document, inline=request.GET.get("inline") == "1")
