from django import forms
from django.utils.translation import gettext_lazy as _

from children.models import mentor_candidates
from common.text import SingleLineTextMixin


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class MentorForm(SingleLineTextMixin, forms.Form):
    mentor = MentorChoiceField(
        queryset=None,
        required=False,
        label=_("Mentor"),
        empty_label=_("No mentor"),
        help_text=_("A pedagogical staff member of the child's group. The parents are told who it is."),
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        self.fields["mentor"].queryset = mentor_candidates(child.group_id)
        if child.mentor_id and self.fields["mentor"].queryset.filter(pk=child.mentor_id).exists():
            self.initial.setdefault("mentor", child.mentor_id)
