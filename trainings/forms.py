import secrets
import time
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.core import signing
from django.core.validators import validate_email
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from children.models import Centre
from common.concurrency import VersionedFormMixin, VersionField
from common.forms import PostedOnceMixin
from common.text import SingleLineTextMixin
from common.widgets import DateInput, DateTimeInput

from .models import (
    Booking,
    IntakeRequest,
    Offering,
    Participant,
    ProgrammeStep,
    Theme,
    TrainingSession,
    organisations_managed_by,
    trainers,
)

# --- Public intake form ----------------------------------------------------------------------------------

OTHER_INTEREST = "other"
STAMP_SALT = "trainings.intake.form"


class IntakeForm(SingleLineTextMixin, forms.ModelForm):
    """The public contact / intake form. Spam is kept out by a honeypot field, a minimum fill time and a
    one-time signed stamp; the view adds a rate limit per address."""

    MIN_SECONDS = 3
    MAX_AGE = timedelta(days=1)

    interest_choice = forms.ChoiceField(label=_("What are you interested in?"))
    consent = forms.BooleanField(
        label=_("I agree that my details are stored to answer my question."),
        help_text=_("We delete your details within a year after your question has been dealt with."),
    )
    # Invisible to people (CSS moves it off-screen); bots that fill in every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = IntakeRequest
        fields = ["name", "email", "phone", "organisation", "role", "question", "contact_method", "contact_time"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 6}),
            "role": forms.RadioSelect,
            "contact_method": forms.RadioSelect,
        }
        labels = {"name": _("Your name"), "email": _("Your email address"), "phone": _("Phone (optional)")}
        help_texts = {"contact_time": _("For example: Tuesday mornings, or after 16:00.")}

    def __init__(self, *args, interest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest_choice"].choices = [
            ("", _("Choose…")),
            *[(str(o.pk), o.title) for o in Offering.objects.published()],
            (OTHER_INTEREST, _("Something else")),
        ]
        if interest is not None:
            self.fields["interest_choice"].initial = str(interest.pk)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.is_spam = False
        self.submission_key = None
        if not self.is_bound:
            self.initial["stamp"] = self.new_stamp()
        self.order_fields(
            ["name", "email", "phone", "organisation", "role", "interest_choice", "question"]
            + ["contact_method", "contact_time", "consent", "website", "stamp"]
        )
        self.fields["role"].choices = IntakeRequest.Role.choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *[Field(name) for name in self.fields if name != "website"],
            Div(Field("website"), css_class="honeypot", aria_hidden="true"),
        )

    @staticmethod
    def new_stamp():
        return signing.dumps({"key": secrets.token_urlsafe(24), "t": time.time()}, salt=STAMP_SALT)

    def clean(self):
        cleaned = super().clean()
        # Problems with the stamp are told above the form: the field itself is hidden.
        try:
            stamp = signing.loads(cleaned.get("stamp") or "", salt=STAMP_SALT, max_age=self.MAX_AGE)
        except signing.BadSignature:
            # Render the form again with a fresh stamp, keeping what was typed.
            self.data = self.data.copy()
            self.data["stamp"] = self.new_stamp()
            raise forms.ValidationError(
                _("This form has expired. Please check your details and send it again."), code="expired"
            ) from None
        self.submission_key = stamp["key"]
        if time.time() - stamp["t"] < self.MIN_SECONDS:
            raise forms.ValidationError(
                _("That was very quick. Please check your details and send the form again."), code="too_fast"
            )
        return cleaned

    def clean_website(self):
        if self.cleaned_data["website"]:
            self.is_spam = True
        return ""

    def clean_interest_choice(self):
        value = self.cleaned_data["interest_choice"]
        if value == OTHER_INTEREST:
            return None
        return Offering.objects.published().filter(pk=value).first()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def intake_fields(self):
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["interest"] = self.cleaned_data["interest_choice"]
        return data


# --- Intake desk -----------------------------------------------------------------------------------------


class IntakeFilterForm(SingleLineTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *IntakeRequest.Status.choices]
    )
    interest = forms.ChoiceField(label=_("Interest"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interest"].choices = [
            ("", _("All interests")),
            *[(str(o.pk), o.title) for o in Offering.objects.all()],
            (OTHER_INTEREST, _("Something else")),
        ]
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-select form-select-sm", "data-autosubmit": ""})

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        if status := self.cleaned_data["status"]:
            queryset = queryset.filter(status=status)
        interest = self.cleaned_data["interest"]
        if interest == OTHER_INTEREST:
            queryset = queryset.filter(interest__isnull=True)
        elif interest:
            queryset = queryset.filter(interest_id=interest)
        return queryset


class IntakeUpdateForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = IntakeRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = trainers()
        self.fields["assigned_to"].empty_label = _("Nobody yet")


class IntakeNoteForm(PostedOnceMixin, forms.Form):
    token_required = True
    text = forms.CharField(label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class IntakeAnswerForm(PostedOnceMixin, forms.Form):
    token_required = True
    body = forms.CharField(
        label=_("Your answer"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sent by email; replies come to your own address. The answer is kept with the request."),
    )


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation} – {obj.name}"


class BookingFromIntakeForm(SingleLineTextMixin, forms.ModelForm):
    centre = CentreChoiceField(
        label=_("Centre"),
        queryset=Centre.objects.select_related("organisation").order_by("organisation__name", "name"),
        help_text=_("The centre must be in the portal; its managers follow the booking from there."),
    )

    class Meta:
        model = Booking
        fields = ["offering", "centre", "expected_parents", "expected_staff", "location", "goals"]
        widgets = {"goals": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, intake, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = Offering.objects.all()
        if not self.is_bound:
            self.initial.update({"offering": intake.interest_id, "goals": intake.question})


# --- Catalogue -------------------------------------------------------------------------------------------


class OfferingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Offering
        fields = ["kind", "title", "summary", "description", "audience", "duration", "position", "is_published"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def save(self, commit=True):
        offering = super().save(commit=False)
        if not offering.slug:
            base = slugify(offering.title)[:70] or "aanbod"
            slug, n = base, 1
            while Offering.objects.filter(slug=slug).exclude(pk=offering.pk).exists():
                n += 1
                slug = f"{base}-{n}"
            offering.slug = slug
        if commit:
            offering.save()
        return offering


_catalogue_item_widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CatalogueItemForm(SingleLineTextMixin, forms.ModelForm):
    """A step or theme of an offering, in the catalogue editor's formsets."""


StepFormSet = inlineformset_factory(
    Offering,
    ProgrammeStep,
    form=CatalogueItemForm,
    fields=["position", "title", "description"],
    widgets=_catalogue_item_widgets,
    extra=1,
    can_delete=True,
)
ThemeFormSet = inlineformset_factory(
    Offering,
    Theme,
    form=CatalogueItemForm,
    fields=["position", "title", "description"],
    widgets=_catalogue_item_widgets,
    extra=1,
    can_delete=True,
)


# --- Bookings --------------------------------------------------------------------------------------------


class BookingForm(PostedOnceMixin, forms.ModelForm):
    token_required = True
    """A manager books a training or activity for a centre or the whole organisation."""

    date_1 = forms.DateField(label=_("First choice of date"), widget=DateInput)
    date_2 = forms.DateField(label=_("Second choice of date"), widget=DateInput, required=False)
    date_3 = forms.DateField(label=_("Third choice of date"), widget=DateInput, required=False)

    class Meta:
        model = Booking
        fields = ["offering", "centre", "preferred_time", "expected_parents", "expected_staff", "location", "goals"]
        widgets = {"goals": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"expected_parents": _("The training is meant for parents and professionals together.")}

    def __init__(self, *args, manager, offering=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The whole organisation (and its every centre) only for a manager with an organisation-wide role.
        self.wide_organisations = list(organisations_managed_by(manager))
        self.managed_centres = (
            Centre.objects.filter(
                Q(pk__in=Centre.objects.managed_by(manager)) | Q(organisation__in=self.wide_organisations)
            )
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["centre"].queryset = self.managed_centres
        if len(self.wide_organisations) == 1:
            self.fields["centre"].empty_label = _("The whole organisation")
        else:
            self.fields["centre"].required = True
            self.fields["centre"].empty_label = None
        self.fields["offering"].queryset = Offering.objects.published()
        if offering is not None:
            self.initial["offering"] = offering.pk
        centres = list(self.managed_centres)
        if len(centres) == 1 and not self.is_bound:
            self.initial["centre"] = centres[0].pk
            self.initial.setdefault("location", centres[0].address)
        self.order_fields(
            ["offering", "centre", "date_1", "date_2", "date_3", "preferred_time"]
            + ["expected_parents", "expected_staff", "location", "goals"]
        )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ["date_1", "date_2", "date_3"]:
            if cleaned.get(name) and cleaned[name] <= today:
                self.add_error(name, _("Choose a date in the future."))
        if cleaned.get("expected_parents", 0) + cleaned.get("expected_staff", 0) == 0:
            self.add_error("expected_parents", _("Tell us how many people you expect."))
        if not cleaned.get("centre") and len(self.wide_organisations) != 1 and "centre" not in self.errors:
            self.add_error("centre", _("Choose the centre this booking is for."))
        return cleaned

    @property
    def organisation(self):
        centre = self.cleaned_data.get("centre")
        return centre.organisation if centre else self.wide_organisations[0]

    @property
    def dates(self):
        return list(dict.fromkeys(d for d in (self.cleaned_data.get(f"date_{n}") for n in (1, 2, 3)) if d))

    def booking_fields(self):
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data["organisation"] = self.organisation
        return data


class BookingStatusForm(SingleLineTextMixin, forms.Form):
    status = forms.ChoiceField(choices=Booking.Status.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
    version = VersionField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, booking, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking
        self.allowed = allowed

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status not in self.allowed or not self.booking.can_move_to(status):
            raise forms.ValidationError(_("This booking cannot get that status now."))
        return status


class ConfirmForm(SingleLineTextMixin, forms.Form):
    trainer = forms.ModelChoiceField(label=_("Trainer"), queryset=User.objects.none())
    version = VersionField(widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, booking, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers()
        self.fields["trainer"].initial = booking.trainer_id or user.pk
        self.fields["version"].initial = booking.version


class SessionForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["starts_at", "ends_at", "location"]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if starts and starts < timezone.now() and self.has_changed() and "starts_at" in self.changed_data:
            self.add_error("starts_at", _("Choose a moment in the future."))
        return cleaned


SessionFormSet = inlineformset_factory(
    Booking, TrainingSession, form=SessionForm, extra=1, min_num=1, validate_min=True, can_delete=True
)


def _split_emails(text):
    return [part.strip().lower() for part in text.replace(",", "\n").replace(";", "\n").splitlines() if part.strip()]


class InviteParticipantsForm(SingleLineTextMixin, forms.Form):
    """A manager invites staff and parents of the centre, or anyone by email address."""

    professionals = forms.MultipleChoiceField(
        label=_("Staff of the centre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    parents = forms.MultipleChoiceField(
        label=_("Parents of the centre"), required=False, widget=forms.CheckboxSelectMultiple
    )
    emails = forms.CharField(
        label=_("Or invite by email address"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One address per line."),
    )
    email_role = forms.ChoiceField(
        label=_("They take part as"), choices=Participant.Role.choices, initial=Participant.Role.PARENT
    )

    MAX_EMAILS = 100

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.booking = booking
        centres = booking.centres()
        invited = booking.participants.values("email")
        self.professional_users = {
            str(u.pk): u
            for u in User.objects.filter(is_active=True, memberships__centre__in=centres)
            .exclude(email__in=invited)
            .distinct()
            .order_by("name", "email")
        }
        self.parent_users = {
            str(u.pk): u
            for u in User.objects.filter(is_active=True, guardianships__child__group__centre__in=centres)
            .exclude(email__in=invited)
            .exclude(memberships__centre__in=centres)
            .distinct()
            .order_by("name", "email")
        }
        self.fields["professionals"].choices = [(pk, str(u)) for pk, u in self.professional_users.items()]
        self.fields["parents"].choices = [(pk, str(u)) for pk, u in self.parent_users.items()]
        for name in ("professionals", "parents"):
            if not self.fields[name].choices:
                self.fields[name].help_text = _("Nobody left to invite here.")

    def clean_emails(self):
        emails = list(dict.fromkeys(_split_emails(self.cleaned_data["emails"])))
        if len(emails) > self.MAX_EMAILS:
            raise forms.ValidationError(_("At most %(max)s addresses at a time.") % {"max": self.MAX_EMAILS})
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(_("“%(email)s” is not a valid email address.") % {"email": email}) from None
        return emails

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("professionals") or cleaned.get("parents") or cleaned.get("emails")):
            raise forms.ValidationError(_("Choose at least one person, or enter an email address."))
        return cleaned

    def people(self):
        chosen = [
            (self.professional_users[pk], Participant.Role.PROFESSIONAL) for pk in self.cleaned_data["professionals"]
        ]
        chosen += [(self.parent_users[pk], Participant.Role.PARENT) for pk in self.cleaned_data["parents"]]
        return chosen

    def email_invitations(self):
        return [(email, self.cleaned_data["email_role"]) for email in self.cleaned_data["emails"]]


class LearningWishForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = Participant.QUESTIONS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in Participant.QUESTIONS}

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(name) or "").strip() for name in Participant.QUESTIONS):
            raise forms.ValidationError(_("Answer at least one question."))
        return cleaned
