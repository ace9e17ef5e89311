from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation

from .models import Child, Group


class DateInput(forms.DateInput):
    input_type = "date"


class GroupForm(forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Group.objects.filter(centre=self.instance.centre, name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This centre already has a group with that name."))
        return name


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["first_name", "last_name", "date_of_birth", "group", "start_date"]
        widgets = {"date_of_birth": DateInput, "start_date": DateInput}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = centre.groups.all()

    def clean(self):
        cleaned = super().clean()
        born, start = cleaned.get("date_of_birth"), cleaned.get("start_date")
        if born and start and start < born:
            self.add_error("start_date", _("The start date cannot be before the date of birth."))
        return cleaned


class StaffInvitationForm(forms.ModelForm):
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


class ParentInvitationForm(forms.ModelForm):
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
            raise forms.ValidationError(_("This person is already a parent of %(child)s.") % {"child": self.instance.child})
        return email
