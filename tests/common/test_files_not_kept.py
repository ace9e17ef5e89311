"""A form that comes back with an error keeps what was typed and asks, above the button, for the chosen photos
again by name: a browser never fills in a file input again, so they are never silently lost."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from partnership.models import Observation
from tests.html_forms import submit

pytestmark = pytest.mark.django_db


def photo(name="konijn.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_an_observation_with_an_error_keeps_the_text_and_asks_for_the_photo_again(client, ouder, kind, private_media):
    client.force_login(ouder)
    page = reverse("partnership:observation_create", args=[kind.pk])
    text = "Jip bouwde een toren van zeven blokken."
    response = submit(client, page, changes={"text": text, "theme": "", "photos": photo("toren.jpg")})

    assert response.status_code == 200
    html = response.content.decode()
    assert text in html  # what was typed is still there
    assert 'id="files-not-kept"' in html and "toren.jpg" in html  # and the photo is asked for again, by name
    assert html.index('id="files-not-kept"') < html.index('type="submit"', html.index("<main"))
    assert not Observation.objects.exists()
    assert not stored_files(private_media)

    # Sent again with the photo chosen again, it is saved with the photo.
    response = submit(client, page, changes={"text": text, "theme": "playing", "photos": photo("toren.jpg")})
    assert response.status_code == 302
    assert Observation.objects.get().photos.count() == 1


def test_a_form_without_photos_shows_no_such_message(client, ouder, kind):
    client.force_login(ouder)
    response = submit(
        client, reverse("partnership:observation_create", args=[kind.pk]), changes={"text": "Iets", "theme": ""}
    )
    assert response.status_code == 200
    assert 'id="files-not-kept"' not in response.content.decode()


def test_the_child_profile_asks_for_the_photo_again(client, manager, kind):
    client.force_login(manager)
    page = reverse("children:child_profile_edit", args=[kind.pk])
    response = submit(client, page, changes={"first_name": "", "photo_upload": photo("portret.jpg")})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="files-not-kept"' in html and "portret.jpg" in html
    kind.refresh_from_db()
    assert not kind.photo
