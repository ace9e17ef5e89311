from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User


class InvitationSignupForm(SignupForm):
    """allauth's sign-up form plus the person's name; only reachable with an invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150)

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "notification_preference"]
        widgets = {"notification_preference": forms.RadioSelect}
