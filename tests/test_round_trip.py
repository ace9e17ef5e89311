"""Every edit form, sent back exactly as a browser sends it when nobody changes a thing, saves without an error
and changes no stored value.

The pages are opened on the shared crawl's world (every object of every app exists there), each by the first
person who may open it; the form is read from the page's HTML and posted as a browser would (`tests.html_forms`):
hidden fields (the version of an edited object, a posted-once key) as they came, selects with their selected
option, checkboxes as checked, dates and numbers as the inputs hold them, text with CRLF line breaks.
"""

import re

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.html_forms import submit
from tests.sweep.world import PROJECT_APPS

pytestmark = pytest.mark.django_db

# Edit pages by URL name, with the form to send when the page holds several ({} = the first form in <main>):
# `page`: the URL name of the page that shows the form, when the form posts to another address (`action`);
# `refused`: the words of the message an unchanged form answers with by design (a proposal must propose
# something); `stamped`: fields a first answer records (when it was answered).
EDIT_PAGES = {
    "accounts:preferences": {},
    "children:child_profile_edit": {},
    "children:consent_edit": {},
    "children:child_leaving": {},
    "children:centre_privacy": {"field": "retention_months"},
    "partnership:observation_edit": {},
    "partnership:reply_edit": {},
    "partnership:event_edit": {},
    # Proposing a change that changes nothing is refused, with a message that says so.
    "partnership:agreement_change": {"refused": "Change something first, or accept the agreement as it is."},
    "partnership:centre_agreement_edit": {},
    "partnership:offer_edit": {},
    # The centre's settings are stored on the first save, with the values the page showed.
    "partnership:team_settings": {"creates": {"TeamSettings"}},
    "partnership:moment_edit": {},
    "partnership:moment_reply_edit": {},
    "partnership:handover_edit": {},
    "trainings:offering_edit": {},
    "trainings:intake_update": {"page": "trainings:intake_detail", "action": "/update/"},
    "trainings:booking_confirm": {},  # the trainer and the sessions of a booking, confirmed or changed later
    "trainings:wish_form": {"stamped": {"answered_at"}},
}
# Words in a URL name that mark a page editing something that exists: each such page is in EDIT_PAGES.
EDIT_WORDS = (
    "_edit",
    "_change",
    "_settings",
    "preferences",
    "consent",
    "leaving",
    "centre_privacy",
    "wish_form",
    "booking_confirm",
)
NOT_EDIT_PAGES = {
    "trainings:wish_form_token",  # the same form as wish_form, reached by a link in a mail
    "partnership:calendar_settings",  # shows the calendar address; its one button renews it
    "partnership:handover_consent",  # a yes/no answer with two buttons, on the handover's page
}
# Stored on every save by design; not a value the person typed.
STAMPS = {"version", "updated_at", "edited_at", "changed_at", "updated_by_id", "edited_by_id"}
# Tables that record what happened rather than what is: history (of a booking too), access log, notifications,
# outbox.
RECORDS = ("Historical", "AccessLog", "Notification", "Reminder", "Outbox", "Mail", "BookingChange")


def stored_rows():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith(RECORDS):
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in STAMPS and not getattr(f, "auto_now", False)
        ]
        for row in model._default_manager.values_list("pk", *fields):
            rows[(model._meta.label, row[0])] = dict(zip(fields, row[1:], strict=True))
        for m2m in model._meta.many_to_many:
            through = m2m.remote_field.through
            for row in through._default_manager.values_list("pk", flat=True):
                rows[(through._meta.label, row)] = {}
    return rows


def difference(before, after):
    changes = []
    for key in before.keys() - after.keys():
        changes.append(f"{key[0]} {key[1]} deleted")
    for key in after.keys() - before.keys():
        changes.append(f"{key[0]} {key[1]} added")
    for key in before.keys() & after.keys():
        for name, value in before[key].items():
            if after[key][name] != value:
                changes.append(f"{key[0]} {key[1]}.{name}: {value!r} -> {after[key][name]!r}")
    return changes


def route_by_name(crawl, name):
    for route in crawl.routes:
        if route.name == name:
            return route
    return None


def pages_of(crawl, name):
    """(person, path) of every page of the URL `name` the crawl was shown with a POST form, one per person."""
    found, people = [], set()
    for (person, path), page in crawl.pages.items():
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            continue
        if match.view_name == name and person not in people and 'method="post"' in page.html:
            found.append((person, path))
            people.add(person)
    return found


def edit_pages_found(crawl, name, tries=40):
    """When the crawl's first object of each person was not editable for them (only its author may edit an
    observation), look further: each person's objects of the model behind the URL, until pages show a form."""
    route = route_by_name(crawl, name)
    model = crawl.sweep.learned.get(route.pattern)
    if model is None:
        return []
    primary = route.object_kwargs[-1]
    found = []
    for person in crawl.people:
        if person == "anonymous":
            continue
        for pk in crawl.world.seen_by(person, model)[:tries]:
            values = crawl.sweep.values_for(route, primary, crawl.world.objects[pk], person)
            if not values:
                continue
            with transaction.atomic():
                response = crawl.client(person).get(route.path(values))
                transaction.set_rollback(True)
            if response.status_code == 200 and 'method="post"' in response.content.decode():
                found.append((person, route.path(values)))
                break
    return found


def test_every_edit_page_is_listed(crawl):
    edit_like = {
        r.name for r in crawl.routes if r.name and any(w in r.name for w in EDIT_WORDS) and r.app_label in PROJECT_APPS
    }
    missing = edit_like - set(EDIT_PAGES) - NOT_EDIT_PAGES
    assert not missing, f"edit pages without a round-trip check: {sorted(missing)}"


@pytest.mark.parametrize("name", list(EDIT_PAGES))
def test_an_unchanged_edit_form_saves_and_changes_nothing(crawl, name):
    """Each person the crawl showed the page to (their own objects) sends its form back unchanged."""
    options = dict(EDIT_PAGES[name])
    optional = options.pop("optional", False)
    refused = options.pop("refused", None)
    stamped = options.pop("stamped", set())
    creates = options.pop("creates", set())
    if route_by_name(crawl, name) is None and optional:
        pytest.skip(f"{name} is not a page of the portal (yet)")
    assert route_by_name(crawl, name) is not None, f"no URL named {name}"
    pages = pages_of(crawl, options.pop("page", name)) or edit_pages_found(crawl, name)
    assert pages, f"nobody in the crawl's world was shown a {name} page with a form"
    problems = []
    for person, page in pages:
        client = crawl.client(person)
        with transaction.atomic():
            before = stored_rows()
            response = submit(client, page, **options)
            body = response.content.decode("utf-8", "replace") if not response.streaming else ""
            changed = [
                c
                for c in difference(before, stored_rows())
                if c.split(":")[0].split(".")[-1] not in stamped
                and not (c.endswith(" added") and c.split(" ")[0].split(".")[-1] in creates)
            ]
            transaction.set_rollback(True)
        where = f"{page} as {person}"
        if response.status_code not in (200, 302, 303):
            problems.append(f"{where}: answered {response.status_code}")
        elif response.status_code == 200:
            errors = error_text(body)
            if refused and translate_nl(refused) in errors:
                pass  # refused by design, with a message saying why
            elif response.sent_form.unanswered_choices() and not changed:
                pass  # a question never answered before (consent not yet given): the form asks for an answer
            elif errors or any(m in body for m in ("invalid-feedback", "errorlist", "is-invalid", "alert-danger")):
                problems.append(f"{where}: the unchanged form came back with errors: {errors or '(no text)'}")
        if changed:
            problems.append(f"{where}: sending the form unchanged changed stored values:\n  " + "\n  ".join(changed))
    assert not problems, "\n".join(problems)[:6000]


def translate_nl(text):
    with translation.override("nl"):
        return translation.gettext(text)


def error_text(body):
    found = re.findall(r'class="[^"]*(?:invalid-feedback|errorlist|alert-danger)[^"]*"[^>]*>(.*?)</', body, re.S)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in found)[:2000]
