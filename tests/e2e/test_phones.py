"""Phones: every page of every role fits a 375 px screen, the tab bar leads to each role's main sections,
tap targets are at least 44 px, and photos open in a viewer on the page.

The pages come from the shared crawl (`crawl` fixture): everything each person of the sweep's world opens. One
browser context per role keeps the cost bounded; axe runs in the journeys, not on every page here.
"""

import re

import pytest

from .conftest import SCREENSHOTS

PHONE_WIDTH = 375
PHONE = {"viewport": {"width": PHONE_WIDTH, "height": 740}, "is_mobile": True, "has_touch": True}
ROLES = ("anonymous", "ouder", "medewerker", "manager", "trainer")
TAP_TARGET = 44
DEMO_PASSWORD = "samenspel-demo"  # the demo accounts of seed_demo, which the crawl's world starts from

# On a mobile viewport Chromium zooms out to fit content that is too wide, so the window grows with it:
# the page fits only if nothing is wider than the window and the window is still the phone's width.
MEASURE = r"""(limit) => {
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        const parent = element.parentElement && element.parentElement.getBoundingClientRect();
        if (box.width && box.right > limit + 1 && (!parent || parent.right <= limit + 1)) {
            wide.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")} `
                + `(${Math.round(box.right)} px): `
                + (element.textContent || "").replace(/\s+/g, " ").trim().slice(0, 60));
        }
    }
    return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide: wide.slice(0, 3)};
}"""

# Visible controls smaller than a thumb. Links inside running text are exempt (WCAG 2.5.8), so only
# controls count: buttons, navigation and menu links, pagination, form fields, and check boxes with their label.
SMALL_TARGETS = """(minimum) => {
    const selector = "button, .btn, .nav-link, .navbar-toggler, .page-link, .dropdown-item, .tab-link, "
        + ".form-control, .form-select, input:not([type=hidden], [type=checkbox], [type=radio]), select, textarea, "
        + ".form-check";
    const small = [];
    for (const element of document.querySelectorAll(selector)) {
        const hidden = ".visually-hidden, .visually-hidden-focusable, .honeypot, .form-check";
        if (element.closest(hidden) && !element.matches(".form-check")) continue;
        if (element.matches(".form-control[type=file]") && element.closest(".input-group")) continue;
        const box = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        if (!box.width || !box.height || style.visibility === "hidden") continue;
        const narrow = !element.matches("input, select, textarea, .form-check") && box.width < minimum - 0.5;
        if (box.height < minimum - 0.5 || narrow) {
            small.push(`${element.tagName.toLowerCase()}.${[...element.classList].join(".")} `
                + `${Math.round(box.width)}x${Math.round(box.height)}: `
                + (element.textContent || element.name || "").trim().slice(0, 40));
        }
    }
    return small.slice(0, 5);
}"""


def phone(browser, site, crawl=None, person=None):
    """A Dutch phone browser context, logged in as the crawl's `person` when given."""
    context = browser.new_context(base_url=site.url, locale="nl-NL", timezone_id="Europe/Amsterdam", **PHONE)
    context.set_default_timeout(30_000)
    cookie = crawl.session_cookie(person) if crawl is not None and person else None
    if cookie:
        name, value = cookie
        context.add_cookies([{"name": name, "value": value, "url": site.url}])
    return context


def wait_until(page, expression, timeout_ms=10_000):
    """Poll an expression from outside the page: wait_for_function evaluates a string inside the page,
    which the CSP (no 'unsafe-eval') refuses."""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def csp_errors(page, found):
    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


def test_no_page_of_any_role_scrolls_sideways_or_has_small_tap_targets_on_a_phone(browser, site, crawl):
    too_wide, small, blocked, visited = [], [], [], 0
    for person in ROLES:
        paths = crawl.urls(person)
        assert paths, f"the crawl opened no page as {person}"
        context = phone(browser, site, crawl, person)
        page = context.new_page()
        csp_errors(page, blocked)
        for path in paths:
            response = page.goto(path, wait_until="load")
            if (
                response is None
                or response.status != 200
                or "text/html" not in response.headers.get("content-type", "")
            ):
                continue  # a page that only answered the crawl once (a one-time link, a finished action)
            visited += 1
            measured = page.evaluate(MEASURE, PHONE_WIDTH)
            if measured["scroll"] > measured["inner"] or measured["inner"] > PHONE_WIDTH:
                too_wide.append(f"{path} as {person}: {measured['scroll']} px wide; " + "; ".join(measured["wide"]))
            targets = page.evaluate(SMALL_TARGETS, TAP_TARGET)
            if targets:
                small.append(f"{path} as {person}: " + "; ".join(targets))
        context.close()
    assert visited > 50, f"only {visited} pages could be opened in the browser"
    assert not too_wide, f"{len(too_wide)} pages scroll sideways at {PHONE_WIDTH} px:\n" + "\n".join(too_wide)
    assert not small, f"{len(small)} pages have tap targets under {TAP_TARGET} px:\n" + "\n".join(small)
    assert not blocked, "the Content-Security-Policy blocked something:\n" + "\n".join(blocked[:20])


@pytest.mark.parametrize(
    ("person", "sections"),
    [
        ("ouder", ["Start", "Activiteiten", "Meldingen"]),
        ("medewerker", ["Start", "Groep", "Activiteiten", "Meldingen"]),
        ("manager", ["Start", "Groep", "Locatie", "Activiteiten", "Meldingen"]),
        ("trainer", ["Start", "Intake", "Boekingen", "Aanbod", "Meldingen"]),
    ],
)
def test_tab_bar_leads_to_each_roles_main_sections(browser, site, crawl, person, sections):
    context = phone(browser, site, crawl, person)
    page = context.new_page()
    page.goto("/")
    bar = page.get_by_role("navigation", name="Onderdelen")
    assert bar.is_visible()
    # The icons come from the served icon font, not from an emoji font the phone may lack (an empty box).
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px bootstrap-icons'))")
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.tab-link .bi'), '::before').fontFamily")
        == "bootstrap-icons"
    )
    labels = [label.strip() for label in bar.locator(".tab-label").all_inner_texts()]
    for section in sections:
        assert section in labels, f"{person}: no '{section}' tab in {labels}"
    assert len(labels) <= 5
    assert bar.locator('[aria-current="page"]').inner_text().strip() == "Start"
    for box in (link.bounding_box() for link in bar.locator(".tab-link").all()):
        assert box["height"] >= TAP_TARGET and box["width"] >= TAP_TARGET

    # Each link opens its section, which the bar then marks as the current one; a keyboard user sees where
    # the focus is.
    for tab in bar.locator("a.tab-link").all()[1:]:
        label = tab.locator(".tab-label").inner_text().strip()
        with page.expect_navigation():
            tab.click()
        current = page.get_by_role("navigation", name="Onderdelen").locator('[aria-current="page"]')
        assert current.count() == 1 and current.locator(".tab-label").inner_text().strip() == label, page.url
    page.get_by_role("navigation", name="Onderdelen").locator("a.tab-link").first.focus()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    context.close()


def test_tab_bar_is_for_phones_only(browser, site, crawl):
    context = browser.new_context(base_url=site.url, locale="nl-NL", viewport={"width": 1280, "height": 800})
    name, value = crawl.session_cookie("ouder")
    context.add_cookies([{"name": name, "value": value, "url": site.url}])
    page = context.new_page()
    page.goto("/")
    assert not page.locator("nav.tab-bar").is_visible()
    assert page.locator(".navbar .nav-bell .bi-bell-fill").is_visible()
    context.close()


def test_photos_open_in_a_viewer_with_arrows_swipe_escape_and_focus_back(browser, site, crawl):
    """Sam's parent opens a photo of an observation with three photos: a viewer on the page, not a new tab."""
    from children.models import Child
    from partnership.models import ObservationPhoto
    from tests.partnership.factories import ObservationFactory, ObservationPhotoFactory

    sam = Child.objects.filter(guardianships__user=crawl.world.people["ouder"]).order_by("pk").first()
    Child.objects.filter(pk=sam.pk).update(photo_consent=True)
    observation = ObservationFactory(child=sam, author=crawl.world.people["ouder"], text="Drie foto's van de bouwhoek")
    photos = [ObservationPhotoFactory(observation=observation) for _ in range(3)]
    assert ObservationPhoto.objects.filter(observation=observation).count() == 3

    context = phone(browser, site, crawl, "ouder")
    page = context.new_page()
    blocked = []
    csp_errors(page, blocked)
    page.goto(sam.get_absolute_url())
    article = page.locator(f"#observation-{observation.pk}")
    first = article.locator("a[data-photo-viewer]").first
    assert first.get_attribute("target") is None
    assert first.get_attribute("href") == photos[0].get_absolute_url()
    first.scroll_into_view_if_needed()
    first.click()

    viewer = page.locator("dialog.photo-viewer[open]")
    viewer.wait_for()
    assert len(context.pages) == 1 and page.url.endswith(sam.get_absolute_url())
    image = viewer.locator("img.photo-viewer-image")
    caption = viewer.locator(".photo-viewer-caption")

    def shown():
        return image.get_attribute("src").removeprefix(site.url)

    assert shown() == photos[0].get_absolute_url()
    assert "1 / 3" in caption.inner_text()
    wait_until(page, "document.querySelector('.photo-viewer-image').naturalWidth > 0")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")

    page.keyboard.press("ArrowRight")
    assert shown() == photos[1].get_absolute_url() and "2 / 3" in caption.inner_text()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert shown() == photos[2].get_absolute_url(), "the arrows go round"
    viewer.get_by_role("button", name="Volgende foto").click()
    assert "1 / 3" in caption.inner_text()

    # A swipe to the left with a finger shows the next photo.
    box = image.bounding_box()
    y = box["y"] + box["height"] / 2
    touch = context.new_cdp_session(page)
    start, end = PHONE_WIDTH * 0.75, PHONE_WIDTH * 0.25  # across the screen: the test photos are small
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start, "y": y}]})
    for step in range(1, 6):
        x = start + (end - start) * step / 5
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_until(page, "document.querySelector('.photo-viewer-caption').textContent.includes('2 / 3')")

    # The focus stays in the viewer.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog.photo-viewer') !== null")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-photo-viewer.png"))

    page.keyboard.press("Escape")
    assert not page.locator("dialog.photo-viewer[open]").count()
    assert page.evaluate("document.activeElement.getAttribute('href')") == photos[0].get_absolute_url()
    assert not blocked, blocked
    context.close()


def test_a_phone_can_add_the_portal_to_its_home_screen(browser, site):
    context = phone(browser, site)
    page = context.new_page()
    page.goto("/accounts/login/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Samenspel" and manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        assert page.request.get(icon["src"]).status == 200
    assert page.request.get(page.locator('link[rel="apple-touch-icon"]').get_attribute("href")).status == 200
    assert re.search(r"font-src 'self'", page.request.get("/").headers["content-security-policy"])
    context.close()


def test_logging_in_on_a_phone_lands_on_home_with_the_tab_bar(browser, site, crawl):
    """A real login on a phone (not only a session cookie), so the login form's targets count too."""
    context = phone(browser, site)
    page = context.new_page()
    page.goto("/accounts/login/")
    assert not page.evaluate(SMALL_TARGETS, TAP_TARGET)
    page.fill('[name="login"]', "ouder@example.org")
    page.fill('[name="password"]', DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.get_by_role("navigation", name="Onderdelen").is_visible()
    context.close()


def test_an_htmx_swap_copies_no_style_attribute_into_the_new_content(browser, site, crawl):
    """htmx settles attributes of the old element onto the swapped-in one. A style attribute there (set by
    a script, a browser extension or a test tool) would be refused by the CSP: it must not be settled."""
    from children.models import Child
    from partnership.models import Reply, Side
    from tests.partnership.factories import ObservationFactory

    sam = Child.objects.filter(guardianships__user=crawl.world.people["ouder"]).order_by("pk").first()
    observation = ObservationFactory(
        child=sam, author=crawl.world.people["medewerker"], side=Side.CENTRE, text="Sam bouwde een toren"
    )
    context = phone(browser, site, crawl, "ouder")
    page = context.new_page()
    blocked = []
    csp_errors(page, blocked)
    page.goto(sam.get_absolute_url())
    card = f"#observation-{observation.pk}"
    page.evaluate(f"document.querySelector('{card}').style.opacity = '0.99'")
    assert page.locator(f"{card}[style]").count() == 1
    page.locator(f"{card} .reply-box summary").click()
    page.locator(f"{card} textarea").fill("Thuis bouwt hij ook torens!")
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.locator(f"{card} form[hx-post] button[type=submit]").click()
    page.locator(f"{card} .reply").first.wait_for()
    page.wait_for_timeout(100)  # htmx settles 20 ms after the swap
    assert Reply.objects.filter(observation=observation, text="Thuis bouwt hij ook torens!").count() == 1
    assert page.locator(f"{card}[style]").count() == 0
    assert not blocked, blocked
    context.close()
