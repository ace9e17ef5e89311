"""factory-boy factories for the partnership app."""

from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from partnership.models import Observation, ObservationPhoto, Reply, Side, Theme, TipOutcome
from tests.factories import ChildFactory, UserFactory


class ObservationFactory(DjangoModelFactory):
    class Meta:
        model = Observation

    child = factory.SubFactory(ChildFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.HOME
    theme = Theme.SLEEPING
    text = factory.Faker("paragraph", locale="nl_NL")


class ReplyFactory(DjangoModelFactory):
    class Meta:
        model = Reply

    observation = factory.SubFactory(ObservationFactory)
    author = factory.SubFactory(UserFactory)
    side = Side.CENTRE
    text = factory.Faker("sentence", locale="nl_NL")


class TipOutcomeFactory(DjangoModelFactory):
    class Meta:
        model = TipOutcome

    tip = factory.SubFactory(ReplyFactory, is_tip=True)
    author = factory.SubFactory(UserFactory)
    result = TipOutcome.Result.WORKED


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 120, 40), exif=None):
    buffer = BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload(name="foto.jpg", content=None, content_type="image/jpeg", **kwargs):
    return SimpleUploadedFile(name, content if content is not None else image_bytes(**kwargs), content_type)


class ObservationPhotoFactory(DjangoModelFactory):
    class Meta:
        model = ObservationPhoto

    observation = factory.SubFactory(ObservationFactory)
    image = factory.django.FileField(filename="x.jpg", data=factory.LazyFunction(image_bytes))
    thumbnail = factory.django.FileField(filename="x-thumb.jpg", data=factory.LazyFunction(image_bytes))
    width = 64
    height = 48


def nl(text):
    """A source string as a Dutch-speaking user sees it (the default language), whether or not it is translated."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(text)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]
