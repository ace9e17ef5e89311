"""Form helpers shared by every app."""

import uuid

from django import forms
from django.db import IntegrityError, transaction

from .text import SingleLineTextMixin


class PostedOnceMixin(SingleLineTextMixin, forms.Form):
    """A hidden random token per rendered form: the same form posted twice is saved once.

    The view (or service) stores `posted_token` with the row it creates, in a unique column, and looks for a
    row with that token before creating another. `token_required = True` refuses a post without a token.
    """

    token_required = False

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].required = self.token_required
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    @property
    def posted_token(self):
        """The token of a valid post, as text (None when the post had none)."""
        token = self.cleaned_data.get("token")
        return str(token) if token else None

    def save_once(self, model, author, save):
        """Return (object, created): the row this token already made for `author`, or the one `save` makes.

        `save(token)` writes the new object (with `submission_token=token`); it runs in one transaction.
        """
        token = self.cleaned_data.get("token")
        if token:
            existing = model.objects.filter(submission_token=token, author=author).first()
            if existing is not None:
                return existing, False
        try:
            with transaction.atomic():
                obj = save(token)
        except IntegrityError:
            # Two identical posts at the same moment: the other one won.
            existing = model.objects.filter(submission_token=token, author=author).first() if token else None
            if existing is None:
                raise
            return existing, False
        return obj, True
