import uuid

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from children.models import Child, Group, Membership

from ..forms.observations import ReplyForm
from ..models.absences import with_absences
from ..models.observations import Side, Theme, children_with_activity

register = template.Library()


@register.filter
def editable_by(obj, user):
    """{% if observation|editable_by:user %}: the author, within the edit window."""
    return obj.can_edit(user)


@register.filter
def deletable_by(obj, user):
    return obj.can_delete(user)


@register.simple_tag
def reply_form(observation, viewer_side, bound_form=None):
    """The reply form under an observation card when that card has its own form (just posted with errors, or
    opened with a question to answer); otherwise None, and the card shows the plain `_reply_fields.html`."""
    if bound_form and getattr(bound_form, "observation", None) and bound_form.observation.pk == observation.pk:
        return bound_form
    return None


PREFIX_MARK, TOKEN_MARK = "__reply_prefix__", "__reply_token__"


@register.simple_tag(takes_context=True)
def reply_fields(context, observation, viewer_side):
    """The plain reply fields of a timeline card: the same names, labels and limits as ReplyForm, without
    building and rendering a form per card (a timeline page has many cards and most are never answered).

    The fields are rendered once per request (and language, and with or without the questions), then each
    card gets its own prefix and posted-once token in that text.
    """
    with_prompts = viewer_side == Side.HOME and observation.side == Side.CENTRE
    request = context.get("request")
    rendered = getattr(request, "_reply_fields", None)
    if rendered is None:
        rendered = {}
        if request is not None:
            request._reply_fields = rendered
    key = (get_language(), with_prompts)
    if key not in rendered:
        fields = ReplyForm.base_fields
        rendered[key] = render_to_string(
            "partnership/observations/_reply_fields.html",
            {
                "prefix": PREFIX_MARK,
                "token": TOKEN_MARK,
                "prompt_label": _("Start from a question") if with_prompts else "",
                "prompts": _observation_prompt_choices() if with_prompts else (),
                "text_label": fields["text"].label,
                "text_maxlength": fields["text"].max_length,
                "tip_label": fields["is_tip"].label,
                "tip_help": fields["is_tip"].help_text,
            },
        )
    html = rendered[key].replace(PREFIX_MARK, f"reply-{int(observation.pk)}").replace(TOKEN_MARK, str(uuid.uuid4()))
    return mark_safe(html)  # noqa: S308 - our own template, with an integer and a UUID put in


def _observation_prompt_choices():
    from ..models.prompts import OBSERVATION_PROMPTS

    return [("", _("In my own words")), *[(prompt.value, prompt.label) for prompt in OBSERVATION_PROMPTS]]


@register.inclusion_tag("partnership/observations/_overview_table.html", takes_context=True)
def staff_group_overview(context):
    """The home page's list of children of my groups (as staff), who waits longest for an answer first."""
    user = context["request"].user
    my_groups = Group.objects.filter(memberships__user=user, memberships__role=Membership.Role.STAFF)
    children = Child.objects.current().filter(group__in=my_groups).select_related("group")
    children = with_absences(children_with_activity(children, mentor=user))
    return {"children": children, "request": context["request"], "compact": True}


@register.simple_tag
def prompts_for(kind):
    """The questions that start a parent's reply under a centre observation or a group moment."""
    from ..models.prompts import MOMENT_PROMPTS, OBSERVATION_PROMPTS

    return MOMENT_PROMPTS if kind == "moment" else OBSERVATION_PROMPTS


@register.filter
def seen_markable_by(observation, viewer_side):
    return observation.can_mark_seen(None, viewer_side)


@register.filter
def theme_label(value):
    return Theme(value).label if value in Theme.values else ""


@register.filter
def side_label(value):
    return Side(value).label if value in Side.values else ""
