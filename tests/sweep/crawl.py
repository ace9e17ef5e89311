"""One crawl of the whole portal, made once per test run and shared by every check that needs all pages.

The world of the authorization sweep (`world.py`) is built and committed once; then every URL pattern of the
resolver is opened by everyone who may open it (their own objects; the model behind each URL argument is
learned as the sweep learns it). What the crawl finds:

- `crawl.urls(person)`: the pages (paths) a person of the world opens with a 200 HTML answer;
- `crawl.urls_by_person()`: the same for everyone, `{person name: [paths]}`;
- `crawl.html(person, path)`: the page as the crawl saw it (in the default language, Dutch);
- `crawl.form_pages()`: (person, path) of every page with a POST form, the first person who may open it;
- `crawl.client(person)`: a test client logged in as that person; `crawl.session_cookie(person)` for a browser.

Users: the `crawl` fixture of `tests/conftest.py`. Tests that use it run after all others (the world stays in
the database until the end of the run) and must not flush the database, except browser tests on the live
server, which run last of all.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from .routes import all_routes
from .sweeper import Sweep


@dataclass
class CrawledPage:
    person: str
    path: str
    html: str


class RecordingSweep(Sweep):
    """A sweep that keeps every page it was shown: GET, 200, HTML."""

    def __init__(self, world, pages):
        super().__init__(world)
        self.pages = pages

    def request(self, person, method, path, target=None):
        response = super().request(person, method, path, target)
        if (
            method == "get"
            and response is not None
            and response.status_code == 200
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
            and (person, path) not in self.pages
        ):
            self.pages[(person, path)] = CrawledPage(person, path, response.content.decode("utf-8", "replace"))
        return response


@dataclass
class Crawl:
    world: object
    media_root: str
    sweep: RecordingSweep = None
    pages: dict = field(default_factory=dict)  # (person, path) -> CrawledPage, in the order found
    routes: list = field(default_factory=list)
    seconds: float = 0.0

    # What the crawl found ----------------------------------------------------------------------------------
    @property
    def people(self):
        return list(self.world.people)

    def urls(self, person):
        """The paths `person` opened with a 200 HTML page."""
        return [path for (who, path) in self.pages if who == person]

    def urls_by_person(self):
        found = defaultdict(list)
        for who, path in self.pages:
            found[who].append(path)
        return dict(found)

    def html(self, person, path):
        page = self.pages.get((person, path))
        return page.html if page else None

    def form_pages(self):
        """(person, path) for every page with a POST form: the first person who may open it (a page without
        URL arguments), or the one who first got past its lookup (a page with arguments)."""
        found = []
        for route in self.routes:
            if route.pattern.startswith("admin/"):
                continue
            if not route.kwargs:
                path = route.path({})
                for person in self.world.people:
                    html = self.html(person, path)
                    if html and 'method="post"' in html:
                        found.append((person, path))
                        break
            elif route.pattern in self.sweep.reached:
                person, values = self.sweep.reached[route.pattern]
                found.append((person, route.path(values)))
        return found

    def client(self, person):
        """The crawl's own logged-in client of `person` (its session is in the database for the whole run)."""
        return self.sweep.use_session(person)

    def session_cookie(self, person):
        """(name, value) of the person's session cookie, to log a browser in; None for the anonymous visitor."""
        _client, cookie = self.sweep.clients[person]
        return (settings.SESSION_COOKIE_NAME, cookie.value) if cookie is not None else None

    # Making it ---------------------------------------------------------------------------------------------
    def run(self):
        """Open every page as everyone who may: pages without arguments as everyone, pages with arguments
        with each person's own first object of the model behind the argument."""
        self.routes = all_routes()
        self.sweep = RecordingSweep(self.world, self.pages)
        for route in self.routes:
            if route.pattern.startswith("admin/"):
                continue
            if not route.kwargs:
                for person in self.world.people:
                    self.sweep.request(person, "get", route.path({}))
                continue
            if not route.object_kwargs:
                continue  # only secrets in the URL: nobody opens those without the secret
            primary = route.object_kwargs[-1]
            models = self.sweep.kwarg_models(route, primary)
            if not models:
                continue
            learned = self.sweep.reach(route, primary, models)
            if learned is None:
                continue
            for person in self.world.people:
                if person == "anonymous":
                    continue
                for pk in self.world.seen_by(person, learned)[:1]:
                    values = self.sweep.values_for(route, primary, self.world.objects[pk], person)
                    if values:
                        self.sweep.request(person, "get", route.path(values))
        return self
