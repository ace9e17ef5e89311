from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from children.privacy.services import pending_consent_url

from .invitations import invitation_from_session


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: only a person holding a valid invitation may create an account."""

    def is_open_for_signup(self, request):
        return invitation_from_session(request) is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        invitation = invitation_from_session(self.request) if self.request else None
        if invitation and email.lower() != invitation.email.lower():
            raise forms.ValidationError(
                _("This invitation is for %(email)s. Please sign up with that address.") % {"email": invitation.email}
            )
        return email

    def get_signup_redirect_url(self, request):
        return pending_consent_url(request.user) or super().get_signup_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        invitation = invitation_from_session(request)
        user.language = getattr(request, "LANGUAGE_CODE", user.language)
        user = super().save_user(request, user, form, commit=commit)
        if invitation:
            invitation.accept(user)
            request.session.pop("invitation_token", None)
        return user
