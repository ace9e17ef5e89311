from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from children.privacy.services import pending_consent_url

from .forms import PreferencesForm
from .invitations import remember_invitation
from .models import Invitation, User


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
