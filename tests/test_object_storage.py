"""Uploads in S3-compatible object storage (django-storages), against a real local S3 server (moto's, on a free
port of 127.0.0.1): photos land in the bucket re-encoded, are served only through the views that check access,
and nothing in the bucket is reachable without signing, nor linked from a page."""

import socket
import urllib.error
import urllib.request
import uuid
from io import BytesIO

import boto3
import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image

from children.models import Child
from children.photos import PhotoStatus
from partnership.models import ObservationPhoto, Theme

from .partnership.factories import image_bytes, upload

ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server):
    return boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def bucket(settings, s3, s3_server):
    """A fresh private bucket, and the default storage pointed at it with the options of portal/settings.py."""
    name = f"samenspel-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    return name


@pytest.fixture
def consenting(kind):
    Child.objects.filter(pk=kind.pk).update(photo_consent=True)
    kind.refresh_from_db()
    return kind


def keys(s3, bucket):
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def served_bytes(response):
    return b"".join(response.streaming_content)


def object_bytes(s3, bucket, key):
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def client_for(user):
    other = Client()
    other.force_login(user)
    return other


def jpeg_with_exif(size=(300, 200)):
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"
    return image_bytes(size=size, exif=exif)


def test_the_default_storage_is_the_bucket(bucket):
    from django.core.files.storage import default_storage

    assert default_storage.bucket_name == bucket
    assert default_storage.exists("nothing-here.jpg") is False


def test_photos_go_to_the_bucket_and_are_served_only_through_the_checked_views(
    client, s3, s3_server, bucket, ouder, consenting, ouder_elders
):
    client.force_login(ouder)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("children:child_profile_edit", args=[consenting.pk]),
            {"photo_upload": upload("IMG_0001.jpg", jpeg_with_exif((800, 600)))},
        )
    assert response.status_code == 302
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("partnership:observation_create", args=[consenting.pk]),
            {
                "observed_on": timezone.localdate().isoformat(),
                "theme": Theme.PLAYING,
                "text": "Sam bouwde een hoge toren van blokken.",
                "token": str(uuid.uuid4()),
                "photos": [upload("thuis.jpg", jpeg_with_exif())],
            },
        )
    assert response.status_code == 302

    consenting.refresh_from_db()
    photo = ObservationPhoto.objects.get(observation__child=consenting)
    assert consenting.photo_status == PhotoStatus.READY and not consenting.photo_original
    assert photo.status == PhotoStatus.READY and not photo.original
    stored = {consenting.photo.name, consenting.photo_thumbnail.name, photo.image.name, photo.thumbnail.name}
    # Only the re-encoded copies are in the bucket: the originals (with their metadata) were deleted.
    assert keys(s3, bucket) == sorted(stored)
    for key in stored:
        image = Image.open(BytesIO(object_bytes(s3, bucket, key)))
        assert image.format == "JPEG" and not image.getexif()

    urls = {
        consenting.photo.name: reverse("children:child_photo", args=[consenting.pk]),
        consenting.photo_thumbnail.name: reverse("children:child_photo_thumbnail", args=[consenting.pk]),
        photo.image.name: reverse("partnership:observation_photo", args=[photo.pk]),
        photo.thumbnail.name: reverse("partnership:observation_photo_thumbnail", args=[photo.pk]),
    }
    for key, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
        assert served_bytes(response) == object_bytes(s3, bucket, key)

    # The pages link to the portal's own views, never to the bucket.
    for page in (consenting.get_absolute_url(), reverse("children:child_profile_edit", args=[consenting.pk])):
        html = client.get(page).content.decode()
        assert urls[photo.thumbnail.name] in html or urls[consenting.photo_thumbnail.name] in html
        assert s3_server not in html and bucket not in html and "X-Amz-Signature" not in html

    other = client_for(ouder_elders)
    anonymous = Client()
    for url in urls.values():
        assert other.get(url).status_code == 404, url
        response = anonymous.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"], url

    # No object can be read from the bucket without a signature (the server refuses it; it would serve an
    # object with a public-read grant, which the portal never sets).
    for key in stored:
        grantees = [grant["Grantee"] for grant in s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]]
        assert not [g for g in grantees if g.get("URI", "").endswith(("/AllUsers", "/AuthenticatedUsers"))]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{s3_server}/{bucket}/{key}", timeout=5)  # noqa: S310 (local server)
        assert refused.value.code == 403


def test_a_photo_missing_from_the_bucket_is_a_404(client, s3, bucket, ouder, consenting):
    client.force_login(ouder)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("children:child_profile_edit", args=[consenting.pk]),
            {"photo_upload": upload("IMG_0002.jpg", jpeg_with_exif())},
        )
    consenting.refresh_from_db()
    s3.delete_object(Bucket=bucket, Key=consenting.photo.name)
    assert client.get(reverse("children:child_photo", args=[consenting.pk])).status_code == 404
