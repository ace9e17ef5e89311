"""Single-line text refuses control characters in every form; calendar files never break on stored ones."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

from common.text import SingleLineTextMixin, one_line
from partnership.models import CalendarFeed, Event
from tests.fuzz.forms import forms_in
from tests.partnership.event_factories import EventFactory

APPS = ["accounts", "children", "partnership", "trainings", "notifications", "common", "portal"]


def all_form_classes():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name or module.name.endswith(".tests"):
                continue
            importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [cls for cls in seen if cls.__module__.split(".")[0] in APPS]


def test_every_form_of_the_portal_checks_its_text_fields():
    """A new form gets the check by deriving from SingleLineTextMixin (or PostedOnceMixin, VersionedFormMixin)."""
    missing = [
        f"{cls.__module__}.{cls.__qualname__}" for cls in all_form_classes() if not issubclass(cls, SingleLineTextMixin)
    ]
    assert missing == [], "forms without SingleLineTextMixin"


@pytest.mark.parametrize(
    "value", ["Ouder\navond", "Ouder\ravond", "Ouder\tavond", "Ouder\x00avond", "A\x1bB", "A\x7fB"]
)
def test_a_single_line_field_refuses_control_characters(value):
    class TitleForm(SingleLineTextMixin, forms.Form):
        title = forms.CharField()
        text = forms.CharField(widget=forms.Textarea)

    form = TitleForm({"title": value, "text": "Regel een\nregel twee\tmet tab"})
    assert not form.is_valid()
    assert form.errors["title"]
    assert "text" not in form.errors


def test_a_multi_line_field_keeps_line_breaks_and_refuses_other_control_characters():
    class NoteForm(SingleLineTextMixin, forms.Form):
        text = forms.CharField(widget=forms.Textarea)

    assert NoteForm({"text": "Een\r\nTwee\n\tDrie"}).is_valid()
    assert not NoteForm({"text": "Een\x1b[31mTwee"}).is_valid()


@pytest.mark.django_db
def test_a_line_break_in_an_event_title_posted_by_hand_is_refused(client, medewerker, centrum):
    event = EventFactory(centre=centrum, title="Ouderavond")
    client.force_login(medewerker)
    url = reverse("partnership:event_edit", args=[event.pk])
    (form,) = [f for f in forms_in(client.get(url).content.decode()) if "title" in f.fields]
    response = client.post(url, {**form.defaults(), "title": "Ouderavond\r\nBcc: iedereen@example.org"})
    assert response.status_code == 200
    assert response.context["form"].errors["title"]
    event.refresh_from_db()
    assert event.title == "Ouderavond"

    create = client.post(reverse("partnership:event_create"), {**form.defaults(), "title": "Koffie\nochtend"})
    assert create.status_code == 200 and create.context["form"].errors["title"]
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_the_ics_and_the_feed_never_break_on_control_characters_in_stored_text(client, ouder, centrum, kind):
    event = EventFactory(centre=centrum)
    Event.objects.filter(pk=event.pk).update(
        title="Ouder\r\navond\x1b", location="Zaal\n2\t", description="Eerste regel\nTweede\x07 regel"
    )
    client.force_login(ouder)
    response = client.get(reverse("partnership:event_ics", args=[event.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "SUMMARY:Ouder avond" in body and "LOCATION:Zaal 2" in body
    assert "\x1b" not in body and "\x07" not in body
    assert "Eerste regel\\nTweede regel" in body

    feed = CalendarFeed.for_person(ouder)
    client.logout()
    response = client.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert "SUMMARY:Ouder avond" in response.content.decode()


def test_one_line():
    assert one_line("Ouder\r\n avond\x00!") == "Ouder avond !"
    assert one_line(None) == ""
