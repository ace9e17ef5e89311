from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from children.models import Centre, Child
from children.privacy.services import pending_consent_url
from notifications import outbox

from .forms import ParentInvitationForm, PreferencesForm, StaffInvitationForm
from .invitations import remember_invitation
from .models import Invitation, User
from .tasks import send_invitation_email


def accept_invitation(request, token):
    """The link in an invitation email: sign up, or add the role to the account one already has."""
    invitation = Invitation.objects.select_related("centre", "child").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "accounts/invitation_invalid.html", {"invitation": invitation}, status=410)

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return render(request, "accounts/invitation_other_account.html", {"invitation": invitation}, status=403)
        if request.method == "POST":
            invitation.accept(request.user)
            messages.success(request, _("Welcome to %(centre)s.") % {"centre": invitation.centre})
            return redirect(pending_consent_url(request.user) or "home")
        return render(request, "accounts/invitation_accept.html", {"invitation": invitation})

    remember_invitation(request, invitation)
    if User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, _("You already have an account. Log in to accept the invitation."))
        return redirect(f"{reverse('account_login')}?next={invitation.get_absolute_url()}")
    # The link arrived by email, so the address is verified: allauth then skips its own verification mail.
    request.session["account_verified_email"] = invitation.email
    return redirect("account_signup")


@require_POST
def set_language(request):
    """Django's language switch, also remembered on the account so emails follow it."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(User._meta.get_field("language").choices):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return django_set_language(request)


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences have been saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


# Invitations: a manager invites a colleague, staff or a manager invites a parent at enrolment.


def _send_invitation(request, invitation):
    outbox.add(send_invitation_email, invitation.pk, translation.get_language(), topic=outbox.topic_of(invitation))
    messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})


@login_required
def invite_staff(request, pk):
    centre = get_object_or_404(Centre.objects.managed_by(request.user), pk=pk)
    form = StaffInvitationForm(request.POST or None, centre=centre)
    if request.method == "POST" and form.is_valid():
        form.instance.invited_by = request.user
        with transaction.atomic():  # the invitation and its mail in the outbox, together
            invitation = form.save()
            _send_invitation(request, invitation)
        return redirect(centre)
    return render(request, "children/form.html", {"form": form, "centre": centre, "title": _("Invite a colleague")})


@login_required
def invite_parent(request, pk):
    """Staff of the child's group or a manager of its centre invites a parent, at enrolment."""
    # A child who left has no parents to invite any more.
    child = get_object_or_404(Child.objects.cared_for_by(request.user).current().select_related("group__centre"), pk=pk)
    form = ParentInvitationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        form.instance.invited_by = request.user
        with transaction.atomic():  # the invitation and its mail in the outbox, together
            invitation = form.save()
            _send_invitation(request, invitation)
        return redirect(child)
    return render(
        request,
        "children/form.html",
        {"form": form, "child": child, "title": _("Invite a parent of %(child)s") % {"child": child}},
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).pending(), pk=pk)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    messages.success(request, _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect(invitation.centre)


# The wider family: a parent invites a grandparent or co-parent to follow one child, and either parent revokes.


def _own_child(request, pk):
    """A child of whom the user is a parent (not staff, not wider family): only parents manage family access."""
    from children.models import Guardianship

    own = Guardianship.objects.filter(user=request.user).values("child")
    children = Child.objects.visible_to(request.user).filter(pk__in=own).select_related("group__centre")
    return get_object_or_404(children, pk=pk)


@login_required
def child_family(request, pk):
    """Who has access to a child as wider family, their pending invitations, and a form to invite someone."""
    from children.models import FamilyMember

    from .forms import FamilyInvitationForm

    child = _own_child(request, pk)
    form = FamilyInvitationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        form.instance.invited_by = request.user
        invitation = form.save()
        _send_invitation(request, invitation)
        return redirect("accounts:child_family", pk=child.pk)
    members = (
        FamilyMember.objects.visible_to(request.user).active().filter(child=child).select_related("user", "invited_by")
    )
    invitations = (
        Invitation.objects.visible_to(request.user)
        .pending()
        .filter(child=child, role=Invitation.Role.FAMILY)
        .select_related("invited_by")
    )
    return render(
        request,
        "accounts/child_family.html",
        {"child": child, "form": form, "members": members, "invitations": invitations},
    )


@login_required
@require_POST
def family_member_revoke(request, pk):
    from children.family import revoke_family_access
    from children.models import FamilyMember, Guardianship

    own = Guardianship.objects.filter(user=request.user).values("child")
    member = get_object_or_404(
        FamilyMember.objects.visible_to(request.user).active().filter(child__in=own).select_related("user", "child"),
        pk=pk,
    )
    revoke_family_access(member, request.user)
    messages.success(
        request,
        _("%(person)s no longer has access to %(child)s.") % {"person": member.user, "child": member.child.first_name},
    )
    return redirect("accounts:child_family", pk=member.child_id)


@login_required
@require_POST
def family_invitation_revoke(request, pk):
    from children.models import Guardianship

    own = Guardianship.objects.filter(user=request.user).values("child")
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).pending().filter(role=Invitation.Role.FAMILY, child__in=own), pk=pk
    )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    messages.success(request, _("The invitation for %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("accounts:child_family", pk=invitation.child_id)
