"""The user's API tokens: made (the token is shown this once), listed, revoked. A token acts as the user, with the
user's roles in each matter; the API is described at /api/docs/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evidence import selectors
from evidence.forms.accounts import ApiTokenForm
from evidence.services.tokens import api_token_create, api_token_revoke

# The new token, kept in the session from the POST that made it to the page that shows it, and removed as it is shown.
FRESH_TOKEN_KEY = "api_token_fresh"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = ApiTokenForm()
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            token = api_token_revoke(user=request.user, token_id=int(request.POST.get("token", "")))
        except (ValueError, ObjectDoesNotExist):
            messages.error(request, "No such token of yours.")
        else:
            messages.success(request, f"Token “{token.name}” revoked: requests with it are refused from now on.")
        return redirect("api_tokens")
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error("name", error.messages)
            else:
                request.session[FRESH_TOKEN_KEY] = {"id": token.pk, "name": token.name, "token": raw}
                return redirect("api_tokens")
    fresh = request.session.pop(FRESH_TOKEN_KEY, None)
    return render(
        request,
        "registration/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(user=request.user), "fresh": fresh},
    )
