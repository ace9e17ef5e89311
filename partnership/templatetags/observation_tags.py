from django import template

from children.models import Child, Group, Membership

from ..forms.observations import ReplyForm
from ..models.absences import absent_soon
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
    """The reply form under an observation card; the bound form with errors when that card was just posted."""
    if bound_form and getattr(bound_form, "observation", None) and bound_form.observation.pk == observation.pk:
        return bound_form
    return ReplyForm(observation=observation, side=viewer_side)


@register.inclusion_tag("partnership/observations/_overview_table.html", takes_context=True)
def staff_group_overview(context):
    """The home page's list of children of my groups (as staff), who waits longest for an answer first."""
    user = context["request"].user
    my_groups = Group.objects.filter(memberships__user=user, memberships__role=Membership.Role.STAFF)
    children = Child.objects.current().filter(group__in=my_groups).select_related("group")
    return {"children": children_with_activity(children, mentor=user), "request": context["request"], "compact": True}


@register.inclusion_tag("partnership/absences/_absent_list.html")
def staff_absences(user):
    """Home: who of my groups (as staff) is reported absent today and tomorrow."""
    my_groups = Group.objects.filter(memberships__user=user, memberships__role=Membership.Role.STAFF)
    return {"absence_days": absent_soon(Child.objects.current().filter(group__in=my_groups))}


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
