"""Text that goes into one line (a title, a name, a mail header, a calendar property) has no control characters.

Forms refuse them (`SingleLineTextMixin`); output that puts stored text on one line cleans it again with
`one_line`, so a row written by other means can never break a calendar file or a mail header.
"""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Line breaks and tabs belong in multi-line text; every other control character belongs nowhere.
_MULTI_LINE_ALLOWED = {"\n", "\r", "\t"}


def _control_characters(value, allowed=frozenset()):
    return [ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in allowed]


def refuse_control_characters(value):
    """Validator for single-line text: no line break, tab, NUL or any other control character."""
    if isinstance(value, str) and _control_characters(value):
        raise ValidationError(
            _("This field is one line of text: remove line breaks, tabs and other control characters."),
            code="control_characters",
        )


def refuse_control_characters_in_text(value):
    """Validator for multi-line text: line breaks and tabs are fine, other control characters are not."""
    if isinstance(value, str) and _control_characters(value, _MULTI_LINE_ALLOWED):
        raise ValidationError(
            _("This text contains invisible control characters; remove them and try again."),
            code="control_characters",
        )


def one_line(value):
    """`value` as one clean line: control characters (line breaks included) become spaces, runs of them one."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in str(value or ""))
    return re.sub(r" {2,}", " ", text).strip()


def without_control_characters(value):
    """Multi-line `value` with every control character except line breaks and tabs removed."""
    return "".join(ch for ch in str(value or "") if unicodedata.category(ch) != "Cc" or ch in _MULTI_LINE_ALLOWED)


def is_single_line(field):
    return isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea)


class SingleLineTextMixin:
    """For every form of the portal: a text field shown on one line refuses control characters; a multi-line
    text refuses the control characters that are not line breaks or tabs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field, forms.CharField):
                continue
            validator = refuse_control_characters if is_single_line(field) else refuse_control_characters_in_text
            if validator not in field.validators:
                field.validators.append(validator)
