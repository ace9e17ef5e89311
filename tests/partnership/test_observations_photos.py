"""Photos with observations: only real images, cleaned and resized, stored privately, served only in scope."""

import re
import uuid
from io import BytesIO

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from children.models import AccessLog, Child
from partnership.models import Observation, ObservationPhoto, Side, Theme

from .factories import ObservationFactory, ObservationPhotoFactory, image_bytes, messages_of, nl, upload
from .test_observations_models import SEES_KIND


@pytest.fixture
def consenting(kind):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    kind.refresh_from_db()
    return kind


def post_with_photos(client, child, photos, worker=True, **data):
    """Post an observation with photos; with `worker`, the tasks queued on commit run right after (as the
    worker would), so the photos are re-encoded; without, they are still waiting for the worker."""
    payload = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.PLAYING,
        "text": "Sam bouwde een hoge toren van blokken.",
        "token": str(uuid.uuid4()),
        "photos": photos,
        **data,
    }
    with TestCase.captureOnCommitCallbacks(execute=worker):
        return client.post(reverse("partnership:observation_create", args=[child.pk]), payload)


def gps_jpeg(size=(80, 40), orientation=None):
    image = Image.new("RGB", size, (10, 200, 90))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # camera make
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (5.0, 7.0, 12.0)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def stored_image(field_file):
    with field_file.open("rb") as handle:
        image = Image.open(BytesIO(handle.read()))
        image.load()
    return image


def test_photo_is_re_encoded_without_location_and_stored_under_a_random_name(client, ouder, consenting):
    source = gps_jpeg()
    assert Image.open(BytesIO(source)).getexif().get_ifd(0x8825)
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload("IMG_2024_thuis.jpg", source)])
    assert response.status_code == 302
    photo = ObservationPhoto.objects.get()
    image = stored_image(photo.image)
    assert image.format == "JPEG"
    assert not image.getexif() and "exif" not in image.info
    assert "IMG_2024" not in photo.image.name and "thuis" not in photo.image.name
    assert re.fullmatch(r"observations/\d{4}/\d{2}/[\w-]{20,}\.jpg", photo.image.name)
    assert photo.image.name != photo.thumbnail.name


def test_photo_is_turned_upright_and_resized(client, ouder, consenting):
    client.force_login(ouder)
    post_with_photos(client, consenting, [upload("staand.jpg", gps_jpeg(size=(3000, 1000), orientation=6))])
    photo = ObservationPhoto.objects.get()
    assert (photo.width, photo.height) == (533, 1600)
    assert max(stored_image(photo.thumbnail).size) == 480


def test_png_with_transparency_becomes_a_jpeg(client, ouder, consenting):
    buffer = BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(buffer, format="PNG")
    client.force_login(ouder)
    post_with_photos(client, consenting, [upload("tekening.png", buffer.getvalue(), "image/png")])
    assert stored_image(ObservationPhoto.objects.get().image).mode == "RGB"


def test_several_photos_at_once(client, ouder, consenting):
    client.force_login(ouder)
    post_with_photos(client, consenting, [upload("a.jpg"), upload("b.png", image_bytes("PNG"), "image/png")])
    assert Observation.objects.get().photos.count() == 2


BAD_FILES = {
    "text file": ("notities.txt", b"Dit is geen foto.", "text/plain"),
    "fake extension": ("foto.jpg", b"%PDF-1.4\n1 0 obj << >> endobj\n", "image/jpeg"),
    "truncated jpeg": ("kapot.jpg", image_bytes()[:120], "image/jpeg"),
    "empty file": ("leeg.jpg", b"", "image/jpeg"),
}


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_gets_a_clear_message_and_the_form_keeps_its_input(client, ouder, consenting, bad, private_media):
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload(*bad)], text="Mijn tekst blijft staan.")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["photos"]
    assert form["text"].value() == "Mijn tekst blijft staan." and form["theme"].value() == Theme.PLAYING
    assert not Observation.objects.exists()
    assert not [path for path in private_media.rglob("*") if path.is_file()]


def test_one_bad_file_among_good_ones_saves_nothing(client, ouder, consenting):
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload("goed.jpg"), upload(*BAD_FILES["text file"])])
    assert response.status_code == 200 and len(response.context["form"].errors["photos"]) == 1
    assert not ObservationPhoto.objects.exists()


def test_too_large_file_is_refused(client, ouder, consenting, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 200
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload("groot.jpg", image_bytes(size=(400, 400)))])
    [error] = response.context["form"].errors["photos"]
    assert "groot.jpg" in error
    assert not Observation.objects.exists()


@pytest.mark.parametrize("size", [(10_000, 5_000), (20_000, 10_000)], ids=["over our limit", "decompression bomb"])
def test_huge_pixel_count_is_refused(client, ouder, consenting, size):
    buffer = BytesIO()
    Image.new("1", size).save(buffer, format="PNG")
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload("enorm.png", buffer.getvalue(), "image/png")])
    [error] = response.context["form"].errors["photos"]
    assert "enorm.png" in error
    assert not Observation.objects.exists()


def test_at_most_four_photos(client, ouder, consenting):
    client.force_login(ouder)
    response = post_with_photos(client, consenting, [upload(f"{n}.jpg") for n in range(5)])
    assert response.context["form"].errors["photos"]
    assert not Observation.objects.exists()


def test_photo_is_served_only_in_scope(client, everyone, consenting, ouder):
    photo = ObservationPhotoFactory(observation=ObservationFactory(child=consenting, author=ouder))
    for name, user in everyone.items():
        client.force_login(user)
        for view in ("observation_photo", "observation_photo_thumbnail"):
            response = client.get(reverse(f"partnership:{view}", args=[photo.pk]))
            assert response.status_code == (200 if SEES_KIND[name] else 404), (name, view)
            if response.status_code == 200:
                assert response["Content-Type"] == "image/jpeg"
                assert response["Cache-Control"] == "private, max-age=3600"
                b"".join(response.streaming_content)
    client.logout()
    response = client.get(reverse("partnership:observation_photo", args=[photo.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_a_photo_is_logged_for_professionals(client, consenting, ouder, medewerker):
    photo = ObservationPhotoFactory(observation=ObservationFactory(child=consenting, author=ouder))
    client.force_login(medewerker)
    client.get(reverse("partnership:observation_photo", args=[photo.pk]))
    client.get(reverse("partnership:observation_photo_thumbnail", args=[photo.pk]))
    assert list(AccessLog.objects.values_list("what", flat=True)) == ["photo"]
    client.force_login(ouder)
    client.get(reverse("partnership:observation_photo", args=[photo.pk]))
    assert AccessLog.objects.count() == 1


def test_no_photo_without_consent_or_after_deleting(client, kind, ouder):
    photo = ObservationPhotoFactory(observation=ObservationFactory(child=kind, author=ouder))
    client.force_login(ouder)
    assert client.get(reverse("partnership:observation_photo", args=[photo.pk])).status_code == 404
    page = client.get(kind.get_absolute_url()).content.decode()
    assert photo.get_thumbnail_url() not in page
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    assert client.get(reverse("partnership:observation_photo", args=[photo.pk])).status_code == 200
    photo.observation.soft_delete()
    assert client.get(reverse("partnership:observation_photo", args=[photo.pk])).status_code == 404


def test_missing_file_is_a_404_not_an_error(client, consenting, ouder):
    photo = ObservationPhotoFactory(observation=ObservationFactory(child=consenting, author=ouder))
    photo.image.delete(save=False)
    ObservationPhoto.objects.filter(pk=photo.pk).update(image="observations/2020/01/weg.jpg")
    client.force_login(ouder)
    assert client.get(reverse("partnership:observation_photo", args=[photo.pk])).status_code == 404


def test_photos_never_have_a_public_url():
    import portal.settings

    assert portal.settings.MEDIA_URL in (None, "")
    from portal.urls import urlpatterns

    assert not any("media" in str(pattern.pattern) for pattern in urlpatterns)


def test_staff_are_warned_about_photos_without_consent(client, medewerker, kind):
    client.force_login(medewerker)
    form_page = client.get(reverse("partnership:observation_create", args=[kind.pk]))
    assert 'class="alert alert-warning"' in form_page.content.decode()
    response = post_with_photos(client, kind, [upload("groep.jpg")])
    assert response.status_code == 302
    warning = nl(
        "The parents of %(child)s have not given consent for photos. "
        "Your photos are kept, but nobody sees them until they do."
    ) % {"child": kind.first_name}
    assert warning in messages_of(response)
    observation = Observation.objects.get()
    assert observation.side == Side.CENTRE and observation.photos.count() == 1


def test_no_warning_when_parents_consent(client, medewerker, consenting):
    client.force_login(medewerker)
    form_page = client.get(reverse("partnership:observation_create", args=[consenting.pk])).content.decode()
    assert 'class="alert alert-warning"' not in form_page
    response = post_with_photos(client, consenting, [upload("groep.jpg")])
    assert not [m for m in response.wsgi_request._messages if m.level_tag == "warning"]


def test_edit_removes_and_adds_photos(client, ouder, consenting, django_capture_on_commit_callbacks):
    client.force_login(ouder)
    post_with_photos(client, consenting, [upload("a.jpg"), upload("b.jpg")])
    observation = Observation.objects.get()
    first, second = observation.photos.order_by("pk")
    removed_name = first.image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnership:observation_edit", args=[observation.pk]),
            {
                "observed_on": observation.observed_on.isoformat(),
                "theme": observation.theme,
                "text": observation.text,
                "remove_photos": [first.pk],
                "photos": [upload("c.jpg")],
            },
        )
    assert response.status_code == 302
    assert observation.photos.count() == 2 and second in observation.photos.all()
    assert not first.image.storage.exists(removed_name)
