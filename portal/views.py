"""The web app manifest and the favicon: what a phone needs to put the portal on its home screen."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

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
