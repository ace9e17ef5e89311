from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import SingleLineTextMixin

from .models import Invitation, User


class InvitationSignupForm(SingleLineTextMixin, SignupForm):
    """allauth's sign-up form plus the person's name; only reachable with an invitation."""

    name = forms.CharField(label=_("Your name"), max_length=150)

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class PreferencesForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "notification_preference"]
        widgets = {"notification_preference": forms.RadioSelect}


class StaffInvitationForm(SingleLineTextMixin, forms.ModelForm):
    """A manager invites a colleague as staff (on some groups) or as manager."""

    class Meta:
        model = Invitation
        fields = ["name", "email", "role", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        self.fields["role"].choices = [
            (Invitation.Role.STAFF, Invitation.Role.STAFF.label),
            (Invitation.Role.MANAGER, Invitation.Role.MANAGER.label),
        ]
        self.fields["groups"].queryset = centre.groups.all()
        self.fields["groups"].help_text = _("The groups a staff member works on.")

    def clean_email(self):
        return self.cleaned_data["email"].lower()


class ParentInvitationForm(SingleLineTextMixin, forms.ModelForm):
    """Invite a parent for one child, at enrolment, before the first day."""

    class Meta:
        model = Invitation
        fields = ["name", "email"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.child = child
        self.instance.centre = child.group.centre
        self.instance.role = Invitation.Role.PARENT

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if self.instance.child.guardianships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("This person is already a parent of %(child)s.") % {"child": self.instance.child}
            )
        return email


class FamilyInvitationForm(SingleLineTextMixin, forms.ModelForm):
    """A parent invites someone of the wider family (a grandparent, a co-parent) to follow one child."""

    class Meta:
        model = Invitation
        fields = ["name", "email"]

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.child = child
        self.instance.centre = child.group.centre
        self.instance.role = Invitation.Role.FAMILY
        self.fields["name"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        child = self.instance.child
        if child.guardianships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a parent of %(child)s.") % {"child": child})
        if child.family_members.active().filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person already follows %(child)s.") % {"child": child})
        if Invitation.objects.pending().filter(child=child, email__iexact=email, role=Invitation.Role.FAMILY).exists():
            raise forms.ValidationError(_("An invitation for this address is already waiting."), code="duplicate")
        return email
