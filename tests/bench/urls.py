"""The portal's URLs plus two reference pages: a floor (a logged-in page that renders the base layout and
nothing else) and a bare page (a logged-in page with a one-line template and no context processors), so
the cost of the base layout itself shows next to the framework's own."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template import engines
from django.urls import include, path

BARE = "<!doctype html><title>Samenspel</title><p>{{ user_name }}</p>"
_bare_template = None


@login_required
def floor(request):
    return render(request, "base.html")


@login_required
def bare(request):
    # A template compiled once, rendered with a plain context: no context processors run.
    global _bare_template
    if _bare_template is None:
        _bare_template = engines["django"].from_string(BARE)
    return HttpResponse(_bare_template.render({"user_name": request.user.get_short_name()}))


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("portal.urls")),
]
