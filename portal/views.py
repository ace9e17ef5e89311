"""The home page (each role the person holds adds its own section), the web app manifest and the favicon."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from children.models import Centre, Child, roles_of
from partnership.feed import parent_feed, staff_week

THEME_COLOR = "#1f5f5b"


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def manifest(request):
    """The web app manifest, so the portal can be added to a phone's home screen."""
    data = {
        "name": "Samenspel",
        "short_name": "Samenspel",
        "description": _("Parents and the childcare centre, raising a child together."),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {"src": static("images/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("images/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("images/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
@cache_control(max_age=60 * 60 * 24, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico by themselves; send them to the static file."""
    return redirect(static("images/favicon.ico"), permanent=True)


SAME_VISIT = timedelta(minutes=30)


def _previous_visit(request, user):
    """When the person was here before this visit; reloads and returns within half an hour are the same visit,
    so what was new stays marked until they have been away for a while."""
    seen = user.last_home_seen_at
    if seen is not None and timezone.now() - seen < SAME_VISIT and "home_since" in request.session:
        return parse_datetime(request.session["home_since"]) if request.session["home_since"] else None
    request.session["home_since"] = seen.isoformat() if seen else ""
    return seen


def home(request):
    if not request.user.is_authenticated:
        return render(request, "home_public.html")
    user = request.user
    roles = roles_of(user)
    context = {"roles": roles}
    if "parent" in roles:
        since = _previous_visit(request, user)
        context["own_children"] = (
            Child.objects.visible_to(user)
            .filter(guardianships__user=user)
            .select_related("group__centre", "mentor")
            .order_by("first_name", "pk")
        )
        feed = parent_feed(user, since=since, page=request.GET.get("page") or 1)
        context["feed"] = feed
        context["feed_since"] = since
        if feed.number == 1 and not request.htmx:
            # What the person saw now is no longer new on their next visit.
            get_user_model().objects.filter(pk=user.pk).update(last_home_seen_at=timezone.now())
        if request.htmx and request.htmx.target == "home-feed":
            return render(request, "portal/_feed.html", context)
    if "family" in roles:
        context["followed_children"] = (
            Child.objects.followed_by(user).select_related("group__centre").order_by("first_name", "pk")
        )
    if "staff" in roles or "manager" in roles:
        context["week"] = staff_week(user)
        context["today"] = timezone.localdate()
    if "manager" in roles:
        current = Q(groups__children__in=Child.objects.current())
        context["managed_centres"] = Centre.objects.managed_by(user).annotate(
            group_count=Count("groups", distinct=True),
            child_count=Count("groups__children", filter=current, distinct=True),
            staff_count=Count("memberships", distinct=True),
        )
    return render(request, "home.html", context)
