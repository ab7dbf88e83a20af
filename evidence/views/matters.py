"""The user's matters, creating one, and its members and invitations (owners only)."""

import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from evidence.accounts.creators import may_create_matters
from evidence.forms.matters import InvitationRevokeForm, InviteForm, MatterForm, MemberRoleForm, last_time_zone
from evidence.models import Invitation, Membership, Role
from evidence.permissions import get_matter_for, page_role
from evidence.selectors import matters_overview
from evidence.services.invitations import invitation_create, invitation_revoke, invitations_pending
from evidence.services.matters import matter_create, membership_remove, membership_set
from evidence.text import sentence


def matter_context(request, matter, **extra) -> dict:
    """What every matter page's template needs: the matter and what the user may do in it."""
    role = page_role(request.user, matter)
    return {
        "matter": matter,
        "role": role,
        "can_edit": role in (Role.EDITOR, Role.OWNER),
        "is_owner": role == Role.OWNER,
        **extra,
    }


@login_required
def home(request):
    return render(
        request,
        "evidence/matters/list.html",
        {"matters": matters_overview(user=request.user), "can_create": may_create_matters(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def matter_new(request):
    if not may_create_matters(request.user):
        raise PermissionDenied("Creating matters is limited to some users; ask your firm's administrator.")
    form = MatterForm(request.POST or None, initial={"time_zone": last_time_zone(request.user)})
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            matter = matter_create(
                user=request.user, slug=fields.pop("slug"), short_title=fields.pop("short_title"), **fields
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Matter “{matter}” created; you are its owner.")
            return redirect("timeline", matter.slug)
    return render(request, "evidence/matters/new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def matter_members(request, slug):
    matter = get_matter_for(request.user, slug, Role.OWNER)
    invite_form = InviteForm(prefix="invite")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "invite":
            invite_form = InviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                _invite(request, matter, invite_form.cleaned_data)
                return redirect("matter_members", matter.slug)
        elif action == "revoke":
            _revoke(request, matter)
            return redirect("matter_members", matter.slug)
        elif action in ("role", "remove"):
            _change_member(request, matter, action)
            return redirect("matter_members", matter.slug)
    memberships = matter.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "evidence/matters/members.html",
        matter_context(
            request,
            matter,
            nav="members",
            memberships=memberships,
            invitations=invitations_pending(matter),
            invite_form=invite_form,
            roles=Role.choices,
        ),
    )


def _invite(request, matter, data) -> None:
    """Send the invitation. The message is the same whether or not the address has an account."""
    try:
        invitation = invitation_create(
            matter=matter,
            user=request.user,
            email=data["email"],
            role=Role(data["role"]),
            link_for=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])),
        )
    except (smtplib.SMTPException, OSError):
        messages.error(
            request,
            f"The invitation to {data['email']} is recorded, but the e-mail could not be sent. Revoke it and try "
            "again later, or tell your administrator that outgoing e-mail fails.",
        )
    else:
        messages.success(request, f"Invitation sent to {invitation.email}.")


def _revoke(request, matter) -> None:
    form = InvitationRevokeForm(request.POST)
    invitation = None
    if form.is_valid():
        invitation = Invitation.objects.filter(matter=matter, pk=form.cleaned_data["invitation"]).first()
    if invitation is None:
        messages.error(request, "No such invitation.")
        return
    try:
        invitation_revoke(invitation=invitation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Invitation to {invitation.email} revoked; its link no longer works.")


def _change_member(request, matter, action: str) -> None:
    form = MemberRoleForm(request.POST)
    membership = None
    if form.is_valid():
        membership = (
            Membership.objects.filter(matter=matter, user_id=form.cleaned_data["user"]).select_related("user").first()
        )
    if membership is None:
        messages.error(request, "No such member.")
    elif action == "role" and form.cleaned_data["role"]:
        _set_role(request, matter, membership.user, Role(form.cleaned_data["role"]))
    elif action == "remove":
        try:
            membership_remove(matter=matter, user=request.user, member=membership.user, reason="member removed")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, sentence(f"{membership.user.get_username()} removed from {matter}"))


def _set_role(request, matter, member, role) -> bool:
    try:
        membership_set(matter=matter, user=request.user, member=member, role=role, reason="member role set")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, sentence(f"{member.get_username()} is now {role.label.lower()} in {matter}"))
    return True
