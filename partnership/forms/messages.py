from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import PostedOnceMixin

from ..models.messages import TEXT_MAX_LENGTH, TeamMessage

MESSAGE_ERRORS = {
    "required": _("Write your message first."),
    "max_length": _(
        "This message is too long: at most %(limit_value)d characters, it has %(show_value)d. "
        "Could you make it shorter or split it in two?"
    ),
}


class TeamMessageForm(PostedOnceMixin, forms.ModelForm):
    class Meta:
        model = TeamMessage
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": MESSAGE_ERRORS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = TEXT_MAX_LENGTH

    def clean_text(self):
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise forms.ValidationError(MESSAGE_ERRORS["required"], code="required")
        return text
