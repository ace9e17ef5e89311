"""The tab bar at the bottom of a phone's screen: each role's main sections, one tap away."""

from dataclasses import dataclass, field

from django import template
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from children.models import Centre, Child, roles_of

register = template.Library()

# At most this many tabs fit side by side on a 320 px wide phone with a 44 px tap target each and a label.
MAX_TABS = 5


@dataclass
class Tab:
    key: str
    label: str
    icon: str  # a Bootstrap Icons name
    url: str = ""
    prefixes: tuple = ()  # the paths of the section, for aria-current
    exact: bool = False
    badge: object = 0  # a number, or the bell's lazy count
    choices: list = field(default_factory=list)  # (label, url): a menu instead of one link
    current: bool = False


def _tabs_for(user, roles, unread):
    home = Tab("home", pgettext_lazy("tab bar", "Home"), "house", reverse("home"), ("/",), exact=True)
    notifications = Tab(
        "notifications",
        pgettext_lazy("tab bar", "Notifications"),
        "bell",
        reverse("notifications:notification_list"),
        ("/notifications/",),
        badge=unread,
    )
    middle = []
    if "parent" in roles:
        children = list(
            Child.objects.visible_to(user).filter(guardianships__user=user).order_by("first_name").distinct()
        )
        if len(children) == 1:
            child = children[0]
            middle.append(
                Tab(
                    "child",
                    child.first_name,
                    "person-heart",
                    child.get_absolute_url(),
                    (f"/children/{child.pk}/", "/observations/"),
                )
            )
        elif children:
            middle.append(
                Tab(
                    "child",
                    pgettext_lazy("tab bar", "Children"),
                    "people",
                    prefixes=(*(f"/children/{c.pk}/" for c in children), "/observations/"),
                    choices=[(c.first_name, c.get_absolute_url()) for c in children],
                )
            )
    if "staff" in roles or "manager" in roles:
        middle.append(
            Tab(
                "group",
                pgettext_lazy("tab bar", "Group"),
                "grid",
                reverse("partnership:group_overview"),
                ("/groups/", "/children/", "/observations/"),
            )
        )
    if "manager" in roles:
        centres = list(Centre.objects.managed_by(user).order_by("name"))
        if len(centres) == 1:
            middle.append(
                Tab(
                    "centre",
                    pgettext_lazy("tab bar", "Centre"),
                    "building",
                    centres[0].get_absolute_url(),
                    ("/centres/",),
                )
            )
        elif centres:
            middle.append(
                Tab(
                    "centre",
                    pgettext_lazy("tab bar", "Centres"),
                    "building",
                    prefixes=("/centres/",),
                    choices=[(c.name, c.get_absolute_url()) for c in centres],
                )
            )
    if roles & {"parent", "staff", "manager"}:
        middle.append(
            Tab(
                "events",
                pgettext_lazy("tab bar", "Events"),
                "calendar-event",
                reverse("partnership:event_list"),
                ("/events/", "/calendar/"),
            )
        )
    if "trainer" in roles:
        middle += [
            Tab(
                "intake",
                pgettext_lazy("tab bar", "Intake"),
                "inbox",
                reverse("trainings:intake_list"),
                ("/trainings/intake/",),
            ),
            Tab(
                "bookings",
                pgettext_lazy("tab bar", "Bookings"),
                "journal-check",
                reverse("trainings:booking_list"),
                ("/trainings/bookings/", "/trainings/wishes/"),
            ),
            Tab(
                "offer",
                pgettext_lazy("tab bar", "Offer"),
                "easel",
                reverse("trainings:catalogue"),
                ("/trainings/catalogue/", "/trainings/offer/"),
            ),
        ]
    return [home, *middle[: MAX_TABS - 2], notifications]


def _mark_current(tabs, path):
    """The tab whose section holds the page, the longest matching path winning (a child's page is the
    child's tab, not the group's)."""
    best, best_length = None, 0
    for tab in tabs:
        for prefix in tab.prefixes:
            hit = path == prefix if tab.exact else path.startswith(prefix)
            if hit and len(prefix) > best_length:
                best, best_length = tab, len(prefix)
    if best is not None:
        best.current = True


@register.inclusion_tag("_tab_bar.html", takes_context=True)
def tab_bar(context):
    request = context["request"]
    user = request.user
    if not user.is_authenticated:
        return {"tabs": [], "request": request}
    # The bell's count (notifications.context_processors.bell), counted only if the template shows it.
    tabs = _tabs_for(user, set(roles_of(user)), context.get("unread_notifications") or 0)
    _mark_current(tabs, request.path)
    return {"tabs": tabs, "request": request}
