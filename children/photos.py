"""Private photos of children: checked, re-encoded and stored under random names, never at a public URL.

An upload request only reads the image's header (Pillow's `Image.open` reads no pixels): the format, the
size in bytes, the pixel count per image and per request, and that the file is complete. It then stores the
file as it came, under a random name, as the row's *original*, marks the photo pending and queues a task.
The worker decodes it (turned upright, flattened to RGB, scaled down), saves a large JPEG and a thumbnail,
and deletes the original. Re-encoding drops all metadata (EXIF, GPS, camera serial numbers); an original is
never served, so nobody ever sees a photo that still has them. Until the worker is done, pages show a
placeholder; a file the worker cannot decode is marked failed and deleted. A periodic task picks up pending
photos whose task was lost (broker down), see `process_pending`.

So an upload request holds a web worker for a few milliseconds and only as much memory as the header,
however many pixels the image has.
"""

import logging
import secrets
import warnings
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_SIDE = 1600
THUMB_SIDE = 480
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


ORIENTATION = 0x0112  # the EXIF tag a camera sets instead of turning the pixels
TURN_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class PhotoStatus(models.TextChoices):
    PENDING = "pending", _("Being processed")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be read")


class UnreadablePhoto(Exception):
    """The worker could not decode a stored original."""


@dataclass
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


@dataclass
class CheckedUpload:
    """An upload whose header passed the checks; its pixels are decoded later, by the worker."""

    file: object
    width: int
    height: int
    format: str

    @property
    def pixels(self):
        return self.width * self.height


def random_photo_name(extension="jpg"):
    """An unguessable file name; the field's `upload_to` adds the folder and month."""
    return f"{secrets.token_urlsafe(24)}.{extension}"


def _jpeg(image, max_side):
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue()), copy.size


def _complete(upload, image_format, probe):
    """Whether the file holds all of its image data, without decoding it: a JPEG ends its last scan with an
    end-of-image marker; a PNG's chunks and checksums run up to its end chunk (no pixels are inflated)."""
    if image_format in ("JPEG", "MPO"):
        upload.seek(0)
        data = upload.read()
        scan = data.find(b"\xff\xda")
        return scan > 0 and data.rfind(b"\xff\xd9") > scan
    if image_format == "PNG":
        probe.verify()
    return True


def check_photo(upload):
    """Check an uploaded file from its header only; return a `CheckedUpload` or raise ValidationError."""
    name = getattr(upload, "name", "") or ""
    if upload.size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s). A photo can be at most %(max)s."),
            code="too_large",
            params={
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES),
            },
        )
    not_an_image = ValidationError(
        _("%(name)s is not a photo we can read. Choose a JPEG, PNG, WebP or GIF image."),
        code="not_an_image",
        params={"name": name},
    )

    def too_many_pixels(width=0, height=0):
        return ValidationError(
            _(
                "%(name)s has too many pixels (%(width)d × %(height)d). A photo can have at most %(max)d "
                "megapixels; choose a smaller photo or send a copy at a lower resolution."
            ),
            code="too_many_pixels",
            params={
                "name": name,
                "width": width,
                "height": height,
                "max": settings.PHOTO_MAX_SOURCE_PIXELS // 1_000_000,
            },
        )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            probe = Image.open(upload)  # reads the header only
            width, height, image_format = probe.width, probe.height, probe.format
            if width * height > settings.PHOTO_MAX_SOURCE_PIXELS:
                raise too_many_pixels(width, height)
            if image_format not in ACCEPTED_FORMATS or not width or not height:
                raise not_an_image
            if not _complete(upload, image_format, probe):
                raise not_an_image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels() from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    finally:
        upload.seek(0)
    return CheckedUpload(file=upload, width=width, height=height, format=image_format)


def reencode(handle):
    """Decode an image (in the worker) and return a clean JPEG copy and thumbnail; UnreadablePhoto if it
    cannot be decoded. Scaled down while decoding where the format allows (JPEG), so memory stays small."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle)
            if image.width * image.height > settings.PHOTO_MAX_SOURCE_PIXELS:
                raise UnreadablePhoto("too many pixels")
            orientation = image.getexif().get(ORIENTATION)
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.load()
            if image.mode in ("1", "P"):
                image = image.convert("RGBA")
            image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
            if orientation in TURN_UPRIGHT:
                image = image.transpose(TURN_UPRIGHT[orientation])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, UnidentifiedImageError) as error:
        raise UnreadablePhoto(str(error)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise UnreadablePhoto(str(error)) from error
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    large, (width, height) = _jpeg(image, MAX_SIDE)
    thumbnail, _size = _jpeg(image, THUMB_SIDE)
    return ProcessedPhoto(image=large, thumbnail=thumbnail, width=width, height=height)


def process_photo(upload):
    """Check and re-encode at once (scripts, the demo data, tests); the portal's forms use `check_photo` and
    leave the decoding to the worker."""
    checked = check_photo(upload)
    try:
        return reencode(checked.file)
    except UnreadablePhoto:
        raise ValidationError(
            _("%(name)s is not a photo we can read. Choose a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
            params={"name": getattr(upload, "name", "")},
        ) from None


def store_original(checked, original_file):
    """Keep an upload as it came, under a random name, until the worker has re-encoded it. Never served."""
    original_file.save(random_photo_name("upload"), checked.file, save=False)


def process_stored(queryset, pk, *, original, image, thumbnail, status, dimensions=False):
    """In the worker: re-encode the pending original of row `pk` into its image and thumbnail fields, mark the
    row ready (or failed when the file cannot be decoded) and delete the original after the commit.

    The row is locked while it is handled and skipped if another worker holds it, so a photo queued twice
    (a task and the periodic sweep) is processed once. Returns the new status, or None when there was
    nothing to do."""
    with transaction.atomic():
        row = queryset.select_for_update(skip_locked=True).filter(pk=pk, **{status: PhotoStatus.PENDING}).first()
        if row is None:
            return None
        original_file = getattr(row, original)
        stored_name = original_file.name
        fields = [original, status]
        try:
            if not stored_name:
                raise UnreadablePhoto("no original")
            with original_file.open("rb") as handle:
                processed = reencode(handle)
        except (UnreadablePhoto, FileNotFoundError) as error:
            logger.warning("Photo %s %s could not be read: %s", queryset.model._meta.label, pk, error)
            setattr(row, status, PhotoStatus.FAILED)
        else:
            old = [getattr(row, image).name, getattr(row, thumbnail).name]
            getattr(row, image).save(random_photo_name(), processed.image, save=False)
            getattr(row, thumbnail).save(random_photo_name(), processed.thumbnail, save=False)
            fields += [image, thumbnail]
            if dimensions:
                row.width, row.height = processed.width, processed.height
                fields += ["width", "height"]
            setattr(row, status, PhotoStatus.READY)
            transaction.on_commit(lambda: _delete_names(original_file.storage, old))
        setattr(row, original, "")
        type(row).objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
        transaction.on_commit(lambda: _delete_names(original_file.storage, [stored_name]))
        return getattr(row, status)


def _delete_names(storage, names):
    for name in names:
        if name:
            storage.delete(name)


def process_pending(queryset, process_one, *, status="status", created=None, older_than=None):
    """The periodic safety net: process the photos still pending a while after their upload (by `created`,
    when the row has such a time), in case the task queued for them was lost (broker down or restarted).
    A photo its own task is handling meanwhile is locked and skipped. Returns how many it handled."""
    pending = queryset.filter(**{status: PhotoStatus.PENDING})
    if created:
        older_than = older_than or timedelta(minutes=2)
        pending = pending.filter(**{f"{created}__lt": timezone.now() - older_than})
    pks = list(pending.order_by(created or "pk").values_list("pk", flat=True)[:50])
    for pk in pks:
        process_one(pk)
    return len(pks)


def queue_on_commit(task, *args):
    """Queue `task` once the transaction commits; an unreachable broker is logged, never raised into the
    request (the periodic sweep picks the row up later)."""
    transaction.on_commit(lambda: task.delay(*args), robust=True)


def store_pending_photos(uploads, new_photo, process):
    """Store each upload as it came in a new pending photo row (`new_photo()` makes the unsaved row, with an
    `original` file field) and queue `process` for it; a placeholder shows until the worker re-encoded it."""
    for checked in uploads:
        photo = new_photo()
        photo.status = PhotoStatus.PENDING
        store_original(checked, photo.original)
        photo.save()
        queue_on_commit(process, photo.pk)


def store_photo(processed, image_file, thumbnail_file):
    """Save a processed photo into two FieldFiles (e.g. `child.photo`, `child.photo_thumbnail`)."""
    image_file.save(random_photo_name(), processed.image, save=False)
    thumbnail_file.save(random_photo_name(), processed.thumbnail, save=False)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """A form field that accepts one or several photos and cleans them into `CheckedUpload`s, from their
    headers only (see `check_photo`); the pixels are decoded by the worker.

    Each bad file gets its own clear message; the rest of the form keeps its input.
    """

    def __init__(self, *args, max_count=1, **kwargs):
        self.max_count = max_count
        widget = MultiplePhotoInput if max_count > 1 else forms.FileInput
        kwargs.setdefault("widget", widget(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > self.max_count:
            raise ValidationError(
                _("You can add at most %(max)d photos."), code="too_many", params={"max": self.max_count}
            )
        checked, errors = [], []
        for upload in files:
            try:
                super().clean(upload, initial)
                checked.append(check_photo(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        if sum(photo.pixels for photo in checked) > settings.PHOTO_MAX_REQUEST_PIXELS:
            raise ValidationError(
                _(
                    "These photos have too many pixels together (at most %(max)d megapixels at once). "
                    "Add fewer photos at a time, or smaller ones."
                ),
                code="too_many_pixels_together",
                params={"max": settings.PHOTO_MAX_REQUEST_PIXELS // 1_000_000},
            )
        return checked
