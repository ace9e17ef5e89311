"""Bad input: every form of the portal, found on its pages, gets random and hostile values.

Forms are read from the HTML of every page someone may open (pages from the URL resolver, opened by the
people of the authorization sweep's world), so a new form is fuzzed without anyone listing it. For each
post: no 500, a rejection says what is wrong, and a rejected post leaves every table as it was.
"""

import mimetypes
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sweep.sweeper import Sweep, quiet_request_log
from tests.sweep.world import project_models

from .forms import field_values, forms_in

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
# Signs on a page that the form was refused with a reason (crispy-forms and Bootstrap alerts).
MESSAGE_MARKERS = ("invalid-feedback", "errorlist", "alert-danger", "alert-warning", "is-invalid", 'role="alert"')
# Forms in the base layout on every page; fuzzed once, from the home page.
LAYOUT_FORMS = ("/i18n/setlang/", "/accounts/logout/")
# Tables that record reads, not the post: a refused post may still log that a child's page was shown.
NOT_COUNTED = {"children.AccessLog"}


class Keep:
    """Leave the field as the page filled it in."""

    def __repr__(self):
        return "KEEP"


KEEP = Keep()


def row_counts():
    models = [m for m in project_models() if m._meta.label not in NOT_COUNTED]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models]
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t})" for t in tables)  # noqa: S608 - table names
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip([m._meta.label for m in models], cursor.fetchone(), strict=True))


def forms_to_fuzz(crawl):
    """One (person, page, form) per form target, so a reply form on every timeline card is fuzzed once. The
    pages are those of the shared crawl: every page with a form, as the first person who may open it."""
    seen, found = set(), []
    for person, page in crawl.form_pages():
        html = crawl.html(person, page)
        if html is None:
            continue
        for form in forms_in(html):
            action = form.action or page
            try:
                target = resolve(action.split("?")[0]).route
            except Resolver404:
                continue
            if action in LAYOUT_FORMS and page != "/":
                continue
            if (person, target) not in seen:
                seen.add((person, target))
                found.append((person, page, action, form))
    return found


def as_post(form, drawn):
    data = form.defaults()
    for name, value in drawn.items():
        if value is KEEP:
            continue
        if value is None:
            data.pop(name, None)
        elif form.fields[name][0].kind == "file":
            filename, content = value
            content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            data[name] = SimpleUploadedFile(filename, content, content_type)
        else:
            data[name] = value
    return data


class Fuzz:
    def __init__(self, sweep):
        self.sweep = sweep
        self.failures = []
        self.posts = 0

    def foreign_ids(self, person):
        ids = []
        for model in self.sweep.scoped:
            ids += [str(pk) for pk in self.sweep.world.foreign(person, model)[:1]]
        return ids

    def fuzz(self, person, page, action, form):
        fuzzable = {n: f for n, f in form.fields.items() if n != "csrfmiddlewaretoken"}
        foreign = self.foreign_ids(person)
        strategy = st.fixed_dictionaries(
            {name: st.one_of(st.just(KEEP), field_values(fields[0], foreign)) for name, fields in fuzzable.items()}
        )

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def post(drawn):
            tampered = any(
                value is not KEEP and fuzzable[name][0].kind == "hidden" and value != fuzzable[name][0].value
                for name, value in drawn.items()
            )
            self.post_once(person, page, action, as_post(form, drawn), tampered)

        try:
            post()
        except AssertionError as problem:
            self.failures.append(f"{action} (form on {page}, as {person}): {problem}"[:1500])

    def post_once(self, person, page, action, data, tampered=False):
        """Post once, undone afterwards. A person can only type into visible fields: when a hidden one was
        tampered with, a refusal need not explain itself, but must still write nothing."""
        client, session_cookie = self.sweep.clients[person]
        self.sweep.use_session(person)
        self.posts += 1
        with transaction.atomic():
            before = row_counts()
            try:
                response = client.post(action, data)
            except Exception as error:
                transaction.set_rollback(True)
                raise AssertionError(f"raised {error!r} for {short(data)}") from error
            changed = {label: n for label, n in row_counts().items() if n != before[label]}
            transaction.set_rollback(True)
        status = response.status_code
        body = response.content.decode("utf-8", "replace") if not getattr(response, "streaming", False) else ""
        assert status < 500, f"answered {status} for {short(data)}"
        refused = status >= 400 or (status == 200 and not changed)
        if status == 200 and not changed and not tampered:
            assert any(marker in body for marker in MESSAGE_MARKERS), f"refused without a message: {short(data)}"
        if refused:
            assert not changed, f"refused ({status}) but wrote rows {changed}: {short(data)}"


def short(data):
    def one(value):
        if isinstance(value, SimpleUploadedFile):
            return f"<file {value.name}, {value.size} bytes>"
        text = repr(value)
        return text if len(text) < 60 else text[:40] + f"...({len(str(value))} chars)"

    return "{" + ", ".join(f"{k}: {one(v)}" for k, v in data.items() if k != "csrfmiddlewaretoken") + "}"


def test_every_form_survives_hostile_input(crawl):
    with quiet_request_log():
        started = time.monotonic()
        sweep = Sweep(crawl.world, learned_from=crawl.sweep)
        fuzz = Fuzz(sweep)
        targets = forms_to_fuzz(crawl)
        found = time.monotonic()
        for person, page, action, form in targets:
            fuzz.fuzz(person, page, action, form)
    print(
        f"found {len(targets)} forms in {found - started:.1f}s; "
        f"fuzzed them with {fuzz.posts} posts in {time.monotonic() - found:.1f}s"
    )
    assert len(targets) > 20, [t[2] for t in targets]
    assert not fuzz.failures, f"{len(fuzz.failures)} forms misbehave:\n" + "\n\n".join(fuzz.failures)
