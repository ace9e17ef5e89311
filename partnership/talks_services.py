"""Actions around the child's mentor, talks between parents and the mentor, and the handover to school.

Each action spans several rows or tells people something, so it lives here rather than on a model.
"""

from django.db import transaction
from django.utils.translation import gettext

from children.models import Child
from notifications.services import notify


def assign_mentor(child, mentor, by):
    """Make `mentor` (or nobody) the child's mentor; the change is kept in the child's history and the
    parents are told. Returns False when nothing changed."""
    if child.mentor_id == (mentor.pk if mentor else None):
        return False
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        child.mentor = mentor
        child._history_user = by
        child.save()
        parents = [g.user for g in child.guardianships.select_related("user")]
        if mentor is not None:

            def message():
                return gettext("%(mentor)s is now the mentor of %(child)s.") % {
                    "mentor": mentor,
                    "child": child.first_name,
                }
        else:

            def message():
                return gettext("%(child)s has no mentor at the moment; the centre will choose a new one.") % {
                    "child": child.first_name
                }

        notify(parents, message, child.get_absolute_url(), exclude=by)
    return True
