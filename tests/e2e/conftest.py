"""Browser journeys: Debian's Chromium driven by Playwright against the live test server on Postgres.

Every checked page is screenshotted into `tests/e2e/screenshots/` (git-ignored), must not log a console
error (a Content-Security-Policy violation is one) and must pass axe-core without serious or critical
violations. axe-core comes from the npm registry (`make axe`); it is injected as an init script, which the
page's CSP does not apply to, so the CSP stays enforced while the check runs.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

AXE_PATH = Path(settings.BASE_DIR) / "var/node/node_modules/axe-core/axe.min.js"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
# Each journey runs on a phone and a desktop with a Dutch browser, and once more with an American one: the
# browser's own language decides how it shows and reads dates and numbers in typed inputs.
SCREENS = {
    "phone": ("phone", "nl-NL"),
    "desktop": ("desktop", "nl-NL"),
    "desktop-en-US": ("desktop", "en-US"),
}
# axe rules at these levels fail a test; "moderate" and "minor" findings are only reported on failure.
FAILING_IMPACTS = {"serious", "critical"}
# For local work only: axe rule ids to skip, comma-separated (e.g. AXE_SKIP_RULES=color-contrast).
AXE_SKIP_RULES = [rule for rule in os.environ.get("AXE_SKIP_RULES", "").split(",") if rule]


def pytest_collection_modifyitems(items):
    """Every test here is a browser test; one that is not on the shared crawl's world gets a database whose
    rows the live server sees (committed, emptied after the test)."""
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            if "crawl" not in getattr(item, "fixturenames", ()):
                item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Django's live server wraps a media-files handler that needs a MEDIA_URL; the portal has none, since
    photos are only served by views that check access. Give the handler a path nothing links to."""
    if not settings.MEDIA_URL:
        settings.MEDIA_URL = "/live-server-serves-no-media/"


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run, a new context per visitor. Playwright's sync API keeps an event loop in
    this thread while it runs, so Django's ORM is allowed from the first browser test on; tests/conftest.py
    runs browser tests after all others (only tests on the shared crawl follow, and they start no
    subprocesses), so the setting reaches no other test."""
    if not AXE_PATH.exists():
        pytest.fail(f"axe-core is missing at {AXE_PATH}: run `make axe` (the `make test` target does it).")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(params=list(SCREENS))
def screen(request):
    return request.param


@pytest.fixture
def viewport(screen):
    return SCREENS[screen][0]


@pytest.fixture
def browser_locale(screen):
    """The browser's language (navigator.language and Accept-Language)."""
    return SCREENS[screen][1]


@pytest.fixture
def site(request, settings):
    """The live server, with links in emails pointing at it. In a test on the shared crawl it is the server on
    the crawl's world (`crawl_site`, which keeps that world); otherwise pytest-django's, on a database emptied
    after the test."""
    if "crawl" in request.fixturenames:
        yield request.getfixturevalue("crawl_site")
        return
    request.getfixturevalue("transactional_db")
    server = request.getfixturevalue("live_server")
    settings.SITE_URL = server.url
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()


class Visitor:
    """One person in one browser context (own cookies) at one window size, checking each page they reach."""

    def __init__(self, browser, base_url, viewport, journey, locale="nl-NL"):
        self.viewport = viewport
        self.journey = journey
        self.locale = locale
        self.context = browser.new_context(
            base_url=base_url,
            locale=locale,
            extra_http_headers={"Accept-Language": f"{locale},{locale.split('-')[0]};q=0.9"},
            timezone_id="Europe/Amsterdam",
            # Bootstrap then skips its colour transitions, so axe never measures a button halfway through one
            # (a tapped button on a phone keeps its hover state and fades).
            reduced_motion="reduce",
            **VIEWPORTS[viewport],
        )
        self.context.add_init_script(path=str(AXE_PATH))
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.problems = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("response", self._on_response)

    def _on_console(self, message):
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if source.endswith("/favicon.ico"):
            return  # the browser asks for it by itself; no page links to it
        self.problems.append(f"console error on {self.page.url}: {message.text} ({source})")

    def _on_response(self, response):
        if response.status >= 500 or (response.status == 404 and response.request.resource_type != "document"):
            self.problems.append(f"{response.status} for {response.url}")

    # Navigation -------------------------------------------------------------------------------------------
    def goto(self, path):
        response = self.page.goto(path)
        assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        return self

    def open_menu(self):
        """On a phone the navigation is folded behind the menu button."""
        toggler = self.page.locator("button.navbar-toggler")
        if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
            toggler.click()
            self.page.locator("#main-nav.show").wait_for()

    def follow(self, href, prefix=False):
        """Click the first visible link to `href` (or to an address starting with it), opening the menu first
        when the link is in it."""
        match = f'a[href^="{href}"]' if prefix else f'a[href="{href}"]'
        if not self.page.locator(f"{match}:visible").count() and self.page.locator(f"#main-nav {match}").count():
            self.open_menu()
        with self.page.expect_navigation():
            self.page.locator(f"{match}:visible").first.click()
        return self

    def submit(self, form="main form[method=post]", button=None):
        """Submit a form with its own (first, or the named) submit button and wait for the next page."""
        form_locator = self.page.locator(form).first
        button_locator = form_locator.locator(button or "button[type=submit], input[type=submit]").first
        with self.page.expect_navigation():
            button_locator.click()
        return self

    def swap(self, form, wait_for):
        """Submit an htmx form (it swaps part of the page instead of loading a new one) and wait for the result."""
        form_locator = self.page.locator(form).first
        with self.page.expect_response(lambda response: response.request.method == "POST"):
            form_locator.locator("button[type=submit]").first.click()
        self.page.locator(wait_for).first.wait_for()
        return self

    def reload(self):
        self.page.reload()
        return self

    def fill(self, fields, form="main form[method=post]"):
        """Fill fields by their name attribute; lists check those values, files are uploaded."""
        scope = self.page.locator(form).first
        for name, value in fields.items():
            field = scope.locator(f'[name="{name}"]')
            kind = (field.first.get_attribute("type") or field.first.evaluate("e => e.tagName")).lower()
            if kind == "file":
                field.set_input_files(value)
            elif kind == "select":
                field.select_option(value)
            elif kind == "checkbox" and isinstance(value, bool):
                field.set_checked(value)
            elif kind in ("radio", "checkbox"):
                for one in value if isinstance(value, list | tuple) else [value]:
                    scope.locator(f'[name="{name}"][value="{one}"]').check()
            else:
                field.fill(str(value))
        return self

    def login(self, email, password=PASSWORD):
        self.goto("/accounts/login/")
        self.check("login")
        self.fill({"login": email, "password": password})
        self.submit()
        assert "/accounts/login/" not in self.page.url, f"login of {email} failed: {self.text('main')[:300]}"
        return self

    # Reading ----------------------------------------------------------------------------------------------
    def text(self, selector="main"):
        return self.page.locator(selector).first.inner_text()

    def expect_message(self, level="success"):
        alert = self.page.locator(f"main .alert-{level}")
        assert alert.count(), f"no {level} message on {self.page.url}: {self.text()[:500]}"
        return alert.first.inner_text()

    # Checks -----------------------------------------------------------------------------------------------
    def check(self, step):
        """Screenshot the page, run axe-core in it and fail on console errors or serious accessibility issues."""
        self.page.wait_for_load_state("load")
        SCREENSHOTS.mkdir(exist_ok=True)
        screen = self.viewport if self.locale == "nl-NL" else f"{self.viewport}-{self.locale}"
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.journey}-{screen}-{step}".lower()).strip("-")
        # caret="initial": hiding the caret leaves style="" on inputs, which htmx would copy into swapped content.
        self.page.screenshot(path=str(SCREENSHOTS / f"{slug}.png"), full_page=True, caret="initial")
        results = self.page.evaluate(
            """async (skip) => {
                const rules = Object.fromEntries(skip.map(id => [id, {enabled: false}]));
                // Should axe leave style="" behind, htmx would copy it into swapped content, where the CSP
                // refuses it: leave the page as it was found.
                const styled = new Set(document.querySelectorAll("[style]"));
                const r = await axe.run(document, {resultTypes: ["violations"], rules});
                document.querySelectorAll("[style]").forEach(e => styled.has(e) || e.removeAttribute("style"));
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
            }""",
            AXE_SKIP_RULES,
        )
        failing = [v for v in results if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"accessibility ({step}, {self.page.url}):\n" + "\n".join(
            f"- [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in failing
        )
        self.assert_clean()
        return self

    def assert_clean(self):
        problems, self.problems = self.problems, []
        assert not problems, "problems in the browser:\n" + "\n".join(problems)

    def close(self):
        self.context.close()


@pytest.fixture
def visitor(request, browser, site, viewport, browser_locale):
    """`visitor(journey)` opens a fresh browser context; call `.login(email)` to become someone."""
    opened = []

    def open_visitor(journey):
        visitor = Visitor(browser, site.url, viewport, journey, browser_locale)
        opened.append(visitor)
        return visitor

    yield open_visitor
    for visitor in opened:
        visitor.assert_clean()
        visitor.close()
