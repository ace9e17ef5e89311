from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.concurrency import VersionedFormMixin
from common.widgets import DateInput

from ..models.agreements import CentreAgreement, ChildAgreement


class CentreAgreementForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = CentreAgreement
        fields = ["kind", "title", "text", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        same = CentreAgreement.objects.filter(centre=self.centre, title__iexact=title).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("This centre already has an agreement with this title."))
        return title


class ChildAgreementForm(VersionedFormMixin, forms.ModelForm):
    """A proposal, or a suggested change of one."""

    class Meta:
        model = ChildAgreement
        fields = ["topic", "title", "text", "review_date"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5}), "review_date": DateInput()}

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        # The default is a callable; compare a change with the agreement itself, not with a hidden copy.
        self.fields["review_date"].show_hidden_initial = False

    def clean_review_date(self):
        review_date = self.cleaned_data["review_date"]
        if review_date <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date in the future."))
        return review_date

    def clean(self):
        data = super().clean()
        if not self.instance.pk and data.get("title"):
            same = ChildAgreement.objects.current().filter(child=self.child, title__iexact=data["title"].strip())
            if same.exists():
                raise forms.ValidationError(
                    _("There already is an agreement with this title for %(child)s.") % {"child": self.child.first_name}
                )
        if self.instance.pk and not self.has_changed():
            raise forms.ValidationError(_("Change something first, or accept the agreement as it is."))
        return data
