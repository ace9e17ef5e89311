from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Centre
from common.text import SingleLineTextMixin

from ..models.events import Event
from ..models.offers import HelpRequest, ParentOffer


class ParentOfferForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = ParentOffer
        fields = ["centre", "kind", "description", "mornings", "afternoons", "evenings", "weekends", "availability"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["centre"].queryset = Centre.objects.filter(
            pk__in=Centre.objects.visible_to(user).filter(groups__children__guardianships__user=user).values("pk")
        )
        self.fields["centre"].empty_label = None
        centres = list(self.fields["centre"].queryset)
        if len(centres) == 1:
            # One centre: nothing to choose.
            self.fields["centre"].widget = forms.HiddenInput()
            self.fields["centre"].disabled = True
            self.initial.setdefault("centre", centres[0].pk)

    def clean(self):
        data = super().clean()
        centre, kind = data.get("centre"), data.get("kind")
        # An offer that keeps its centre and kind is not a new one (older duplicates stay editable).
        moved = self.instance.pk is None or {"centre", "kind"} & set(self.changed_data)
        if centre and kind and moved:
            same = ParentOffer.objects.filter(person=self.user, centre=centre, kind=kind).exclude(pk=self.instance.pk)
            if same.exists():
                raise forms.ValidationError(_("You already offered this. You can change that offer instead."))
        return data


class OfferFilterForm(SingleLineTextMixin, forms.Form):
    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("What"), choices=[("", _("Everything")), *ParentOffer.Kind.choices], required=False
    )
    moment = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("mornings", _("Mornings")),
            ("afternoons", _("Afternoons")),
            ("evenings", _("Evenings")),
            ("weekends", _("Weekends")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = Centre.objects.worked_at_by(user)
        self.fields["centre"].empty_label = _("All my centres")
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""

    def filter(self, offers):
        if not self.is_valid():
            return offers
        data = self.cleaned_data
        if data["centre"]:
            offers = offers.filter(centre=data["centre"])
        if data["kind"]:
            offers = offers.filter(kind=data["kind"])
        if data["moment"]:
            offers = offers.filter(**{data["moment"]: True})
        return offers


class HelpRequestForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = HelpRequest
        fields = ["event", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, offer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fields["event"].queryset = Event.objects.managed_by(user).filter(
            centre=offer.centre_id, cancelled_at__isnull=True, starts_at__gt=timezone.now()
        )
        self.fields["message"].help_text = _("For example what you would like help with.")

    def clean_event(self):
        event = self.cleaned_data["event"]
        if HelpRequest.objects.filter(offer=self.offer, event=event).exists():
            raise forms.ValidationError(_("You already asked this parent to help with this event."))
        return event
