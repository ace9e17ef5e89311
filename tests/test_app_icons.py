"""The portal can be put on a phone's home screen: a web app manifest, app icons and a favicon."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_manifest_names_the_portal_and_points_at_icons_that_exist(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Samenspel"
    assert manifest["start_url"] == reverse("home")
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f5f5b"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_the_content_security_policy_allows_the_manifest_and_the_icon_font(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy
    assert "font-src 'self'" in policy


def test_every_page_links_the_manifest_icons_and_the_icon_font(client, ouder):
    client.force_login(ouder)
    html = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'name="theme-color"' in html
    assert "bootstrap-icons.min.css" in html


def test_favicon_is_served_from_the_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert finders.find(response["Location"].removeprefix("/static/"))
