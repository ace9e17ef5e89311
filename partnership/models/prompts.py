"""Short questions that start a parent's reply instead of a blank box, and which of them get answered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Prompt(models.TextChoices):
    SEE_AT_HOME = "see_at_home", _("Do you see this at home too?")
    CHILD_AT_HOME = "child_at_home", _("What did your child think of it at home?")
    TRY_AT_HOME = "try_at_home", _("Would you like to try this at home?")
    TOLD_AT_HOME = "told_at_home", _("Did your child tell you about it?")


# Under a centre observation, and under a group moment: two or three each.
OBSERVATION_PROMPTS = [Prompt.SEE_AT_HOME, Prompt.CHILD_AT_HOME, Prompt.TRY_AT_HOME]
MOMENT_PROMPTS = [Prompt.TOLD_AT_HOME, Prompt.CHILD_AT_HOME, Prompt.SEE_AT_HOME]


def prompt_field():
    return models.CharField(_("answering the question"), max_length=20, choices=Prompt.choices, blank=True, default="")
