"""Private photos of children: checked, re-encoded and stored under random names, never at a public URL.

Every upload is opened with Pillow (so only real images pass), refused when the file or its pixel count is too
large, turned upright, flattened to RGB and saved again as JPEG. Re-encoding drops all metadata (EXIF, GPS,
camera serial numbers). A large copy and a thumbnail are kept; both are served only by views that check
`visible_to` and the parents' photo consent.
"""

import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = getattr(settings, "PHOTO_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_SOURCE_PIXELS = getattr(settings, "PHOTO_MAX_SOURCE_PIXELS", 40_000_000)
MAX_SIDE = 1600
THUMB_SIDE = 480
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


@dataclass
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def random_photo_name():
    """An unguessable file name; the field's `upload_to` adds the folder and month."""
    return f"{secrets.token_urlsafe(24)}.jpg"


def _jpeg(image, max_side):
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = BytesIO()
    copy.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue()), copy.size


def process_photo(upload):
    """Check an uploaded file and return a clean JPEG copy and thumbnail, or raise ValidationError."""
    name = getattr(upload, "name", "") or ""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s). A photo can be at most %(max)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    not_an_image = ValidationError(
        _("%(name)s is not a photo we can read. Choose a JPEG, PNG, WebP or GIF image."),
        code="not_an_image",
        params={"name": name},
    )
    too_many_pixels = ValidationError(
        _("%(name)s has too many pixels. Choose a smaller photo."), code="too_many_pixels", params={"name": name}
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            probe = Image.open(upload)
            if probe.width * probe.height > MAX_SOURCE_PIXELS:
                raise too_many_pixels
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            probe.verify()
            # verify() leaves the image unusable; open it again to decode the pixels.
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    large, (width, height) = _jpeg(image, MAX_SIDE)
    thumbnail, _size = _jpeg(image, THUMB_SIDE)
    return ProcessedPhoto(image=large, thumbnail=thumbnail, width=width, height=height)


def store_photo(processed, image_file, thumbnail_file):
    """Save a processed photo into two FieldFiles (e.g. `child.photo`, `child.photo_thumbnail`)."""
    image_file.save(random_photo_name(), processed.image, save=False)
    thumbnail_file.save(random_photo_name(), processed.thumbnail, save=False)


def delete_photo(*files):
    """Remove stored files from disk; the database row keeps nothing that points to them afterwards."""
    for field_file in files:
        if field_file:
            field_file.delete(save=False)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """A form field that accepts one or several photos and cleans them into `ProcessedPhoto`s.

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
        processed, errors = [], []
        for upload in files:
            try:
                super().clean(upload, initial)
                processed.append(process_photo(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return processed
