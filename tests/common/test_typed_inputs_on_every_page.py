"""Every page each person of the crawl reaches, in Dutch and in English: no typed input carries a value that a
browser would drop (a date as 01-12-2026, a number as 1.234) or refuse to send back unchanged."""

import pytest
from django.conf import settings
from django.db import transaction

from accounts.models import User
from tests.html_forms import typed_input_problems

pytestmark = pytest.mark.django_db

TYPED = ('type="date"', 'type="time"', 'type="datetime-local"', 'type="number"', 'type="email"', 'type="url"')
TYPED += ('type="month"', 'type="week"', 'type="range"', 'type="color"')


def pages_with_typed_inputs(crawl):
    return [(person, path) for (person, path), page in crawl.pages.items() if any(t in page.html for t in TYPED)]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_typed_input_has_a_value_a_browser_would_drop(crawl, language, settings_override):
    pages = pages_with_typed_inputs(crawl)
    assert len(pages) > 15, pages  # the crawl found the forms with dates and numbers
    problems, in_language = [], 0
    with transaction.atomic():
        User.objects.update(language=language)  # the language of a signed-in person is their account's
        for person, path in pages:
            client = crawl.client(person)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # and a visitor's is their cookie's
            try:
                response = client.get(path)
            finally:
                client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
            if response.status_code != 200:
                continue  # a one-off page (an invitation already used); the crawl's Dutch copy is checked below
            html = response.content.decode()
            in_language += f'<html lang="{language}"' in html
            problems += [f"{path} as {person} ({language}): {p}" for p in typed_input_problems(html)]
        transaction.set_rollback(True)
    assert in_language > len(pages) // 2, f"only {in_language} of {len(pages)} pages came in {language}"
    assert not problems, f"{len(problems)} typed inputs a browser cannot use:\n" + "\n".join(problems[:60])


@pytest.fixture
def settings_override(settings):
    """Localized number formatting at its most visible: thousands separators on."""
    settings.USE_THOUSAND_SEPARATOR = True
    return settings


def test_the_crawls_dutch_pages_have_no_typed_input_a_browser_would_drop(crawl):
    problems = []
    for (person, path), page in crawl.pages.items():
        problems += [f"{path} as {person}: {p}" for p in typed_input_problems(page.html)]
    assert not problems, f"{len(problems)} typed inputs a browser cannot use:\n" + "\n".join(problems[:60])
