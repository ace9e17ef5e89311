"""Heavy uploads: the request reads only image headers and stores the file; the worker decodes and re-encodes.

A 6300 x 6300 PNG (small on disk, 40 megapixels) is refused at once with a clear message; an allowed photo
shows a placeholder until the worker has re-encoded it, and only the re-encoded copy (without EXIF or GPS)
is ever served.
"""

import time
import uuid
import zlib
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from children.models import Child
from children.photos import PhotoStatus
from partnership.models import Observation, ObservationPhoto, Theme
from partnership.tasks import process_pending_observation_photos
from tests.broker import DEAD, broker_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def consenting(kind):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    kind.refresh_from_db()
    return kind


def png(size, name="groot.png", mode="L"):
    """A large but well-compressing PNG, like the ones of the report (four of them were 0.5 MB together)."""
    buffer = BytesIO()
    Image.new(mode, size, 0).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def gps_jpeg(name="IMG_0042.jpg", size=(800, 600)):
    image = Image.new("RGB", size, (10, 200, 90))
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"
    exif[0x0112] = 6  # taken with the phone turned: to be shown rotated
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (5.0, 7.0, 12.0)
    buffer = BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def post_observation(client, child, photos, worker=False):
    payload = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.PLAYING,
        "text": "Bouwde een toren.",
        "token": str(uuid.uuid4()),
        "photos": photos,
    }
    url = reverse("partnership:observation_create", args=[child.pk])
    client.get(url)  # a web worker that has served this page before: templates loaded
    with TestCase.captureOnCommitCallbacks(execute=worker) as queued:
        # CPU time: what the request costs a web worker, however busy the rest of the machine is.
        started = time.process_time()
        response = client.post(url, payload)
        elapsed = time.process_time() - started
    return response, elapsed, queued


def run_worker(queued):
    """Run the tasks queued on commit, and what they leave for after their own commit (deleting files)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in queued:
            callback()


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_6300_pixel_square_png_is_refused_quickly_with_a_clear_message(client, ouder, consenting, private_media):
    huge = png((6300, 6300), "enorm.png")
    assert huge.size < 200_000  # small on disk: only the pixel count gives it away
    client.force_login(ouder)
    response, elapsed, _queued = post_observation(client, consenting, [huge])
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["photos"]
    assert error.code == "too_many_pixels"
    message = error.message % error.params
    limit = str(settings.PHOTO_MAX_SOURCE_PIXELS // 1_000_000)
    assert "enorm.png" in message and "6300" in message and limit in message
    assert elapsed < 1.0, f"the request took {elapsed:.2f}s"
    assert not Observation.objects.exists() and not stored_files(private_media)


def test_photos_with_too_many_pixels_together_are_refused(client, ouder, consenting, private_media):
    side = int((settings.PHOTO_MAX_REQUEST_PIXELS / 3) ** 0.5) + 10  # each allowed alone, three together too many
    client.force_login(ouder)
    response, elapsed, _queued = post_observation(client, consenting, [png((side, side), f"{n}.png") for n in "abc"])
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["photos"]
    assert error.code == "too_many_pixels_together"
    assert elapsed < 1.0
    assert not Observation.objects.exists() and not stored_files(private_media)


def test_the_largest_allowed_upload_decodes_nothing_in_the_request(client, ouder, consenting, private_media):
    client.force_login(ouder)
    response, elapsed, queued = post_observation(client, consenting, [png((6000, 4000), "camera.png")])
    assert response.status_code == 302
    assert elapsed < 1.0, f"the request took {elapsed:.2f}s"
    photo = ObservationPhoto.objects.get()
    assert photo.status == PhotoStatus.PENDING and not photo.image and photo.original
    run_worker(queued)
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY and max(photo.width, photo.height) == 1600


def test_a_photo_shows_a_placeholder_until_the_worker_has_re_encoded_it(client, ouder, consenting, private_media):
    client.force_login(ouder)
    source = gps_jpeg()
    response, _elapsed, queued = post_observation(client, consenting, [source])
    assert response.status_code == 302
    photo = ObservationPhoto.objects.get()
    assert photo.status == PhotoStatus.PENDING
    # The original is stored as it came (with its EXIF) under a random name, and never served.
    assert "IMG_0042" not in photo.original.name
    with photo.original.open("rb") as handle:
        assert Image.open(handle).getexif().get_ifd(0x8825)
    page = client.get(consenting.get_absolute_url()).content.decode()
    assert "data-photo-pending" in page and photo.get_thumbnail_url() not in page
    assert client.get(photo.get_absolute_url()).status_code == 404
    assert client.get(photo.get_thumbnail_url()).status_code == 404

    run_worker(queued)  # the worker runs the task (in-process in the tests)

    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY and not photo.original
    assert (photo.width, photo.height) == (600, 800)  # turned upright
    page = client.get(consenting.get_absolute_url()).content.decode()
    assert "data-photo-pending" not in page and photo.get_thumbnail_url() in page
    for url in (photo.get_absolute_url(), photo.get_thumbnail_url()):
        response = client.get(url)
        assert response.status_code == 200
        served = Image.open(BytesIO(b"".join(response.streaming_content)))
        assert served.format == "JPEG" and not served.getexif() and "exif" not in served.info
    # Only the re-encoded copies are left on disk.
    names = {p.name for p in stored_files(private_media)}
    assert names == {photo.image.name.rsplit("/", 1)[-1], photo.thumbnail.name.rsplit("/", 1)[-1]}


def png_with_broken_pixels():
    """A PNG whose header and chunk checksums are fine, but whose compressed pixel data is garbage: it passes
    every check of the request, and only decoding (in the worker) finds out."""
    data = bytearray(png((300, 200), mode="RGB").read())
    start = data.index(b"IDAT") - 4
    length = int.from_bytes(data[start : start + 4], "big")
    data[start + 8 : start + 8 + length] = b"\x13\x37" * (length // 2) + b"\x00" * (length % 2)
    data[start + 8 + length : start + 12 + length] = zlib.crc32(bytes(data[start + 4 : start + 8 + length])).to_bytes(
        4, "big"
    )
    return SimpleUploadedFile("kapot.png", bytes(data), "image/png")


def test_a_file_the_worker_cannot_decode_is_marked_failed(client, ouder, consenting, private_media):
    client.force_login(ouder)
    response, _elapsed, queued = post_observation(client, consenting, [png_with_broken_pixels()])
    assert response.status_code == 302
    run_worker(queued)
    photo = ObservationPhoto.objects.get()
    assert photo.status == PhotoStatus.FAILED and not photo.original and not stored_files(private_media)
    assert client.get(photo.get_absolute_url()).status_code == 404
    assert "data-photo-failed" in client.get(consenting.get_absolute_url()).content.decode()


@pytest.fixture
def broker_down():
    """Tasks go to a broker that is not there, as with Redis stopped."""
    with broker_at(DEAD):
        yield


def test_with_the_broker_down_the_upload_succeeds_and_the_sweep_processes_it(
    client, ouder, consenting, private_media, broker_down
):
    client.force_login(ouder)
    response, _elapsed, _queued = post_observation(client, consenting, [gps_jpeg()], worker=True)
    assert response.status_code == 302
    photo = ObservationPhoto.objects.get()
    assert photo.status == PhotoStatus.PENDING
    # A minute later beat runs the sweep (in-process here), which picks up what the lost task did not.
    assert process_pending_observation_photos() == 0  # just uploaded: its own task may still come
    ObservationPhoto.objects.filter(pk=photo.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    assert process_pending_observation_photos() == 1
    photo.refresh_from_db()
    assert photo.status == PhotoStatus.READY and photo.image and not photo.original
    assert process_pending_observation_photos() == 0


def test_the_profile_photo_waits_for_the_worker_too(client, ouder, consenting, private_media):
    client.force_login(ouder)
    url = reverse("children:child_profile_edit", args=[consenting.pk])
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = client.post(url, {"photo_upload": gps_jpeg("IMG_7.jpg")})
    assert response.status_code == 302
    consenting.refresh_from_db()
    assert consenting.photo_status == PhotoStatus.PENDING and not consenting.photo and consenting.photo_original
    assert "data-photo-pending" in client.get(consenting.get_absolute_url()).content.decode()
    assert client.get(reverse("children:child_photo", args=[consenting.pk])).status_code == 404
    run_worker(queued)
    consenting.refresh_from_db()
    assert consenting.photo_status == PhotoStatus.READY and not consenting.photo_original
    response = client.get(reverse("children:child_photo", args=[consenting.pk]))
    served = Image.open(BytesIO(b"".join(response.streaming_content)))
    assert not served.getexif() and served.size == (600, 800)


def test_the_profile_photo_is_refused_when_it_has_too_many_pixels(client, ouder, consenting, private_media):
    client.force_login(ouder)
    url = reverse("children:child_profile_edit", args=[consenting.pk])
    client.get(url)
    upload = png((6300, 6300), "enorm.png")
    started = time.process_time()
    response = client.post(url, {"photo_upload": upload})
    assert time.process_time() - started < 1.0
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["photo_upload"]] == ["too_many_pixels"]
    consenting.refresh_from_db()
    assert not consenting.photo_original and not stored_files(private_media)


def test_removing_a_photo_before_the_worker_got_to_it_deletes_the_upload(client, ouder, consenting, private_media):
    client.force_login(ouder)
    post_observation(client, consenting, [gps_jpeg()])
    observation = Observation.objects.get()
    photo = observation.photos.get()
    assert photo.status == PhotoStatus.PENDING and len(stored_files(private_media)) == 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("partnership:observation_edit", args=[observation.pk]),
            {
                "observed_on": observation.observed_on.isoformat(),
                "theme": observation.theme,
                "text": observation.text,
                "version": observation.version,
                "remove_photos": [photo.pk],
            },
        )
    assert response.status_code == 302
    assert not ObservationPhoto.objects.exists() and not stored_files(private_media)
