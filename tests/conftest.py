"""Named people of two centres, used across the suite.

Centre one (`centrum`): `kind` in group `groep`, its parent `ouder`, staff `medewerker` on that group,
`manager` of the centre, and `kind_buur`, another child of the same group with its own parent `ouder_buur`.
Centre two (`centrum_elders`): `kind_elders`, `ouder_elders`, `medewerker_elders`, `manager_elders`.
`trainer` works for the training provider.
"""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from children.models import Membership

from .factories import (
    PASSWORD,
    CentreFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    MembershipFactory,
    UserFactory,
)
from .people import FAST_PASSWORD_HASHERS, PEOPLE


def pytest_collection_modifyitems(config, items):
    """The order of a run: first all ordinary tests (in pytest-django's order: database, transactional, no
    database); then the browser tests (one Chromium for the rest of the run, whose event loop makes Django
    allow the ORM from then on); then the tests on the shared crawl (marked `crawl`: its world stays in the
    database until the end of the run); last the browser tests on the crawl's world (`crawl_site`)."""

    def order(item):
        names = getattr(item, "fixturenames", ())
        browser = any(n in names for n in ("browser", "live_server", "site")) or item.get_closest_marker("browser")
        if "crawl" in names:
            return 3 if browser else 2
        return 1 if browser else 0

    for item in items:
        if "crawl" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.crawl)
    items.sort(key=order)  # stable: pytest-django's order within each part is kept


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """The production hasher costs about a second per user on a small machine; tests need no strength.
    For the whole run, session fixtures (the crawl's world) included."""
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache: rate limits (allauth's, the intake form's) count per cache, and a
    long run must not reach them through the tests before."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_media(request, settings, tmp_path):
    """Uploaded files go to a fresh folder per test, never into the project's var/ folder (tests on the
    crawl use the folder that holds the crawl's files)."""
    if "crawl" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("crawl").media_root
    else:
        settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole portal opened once by every person of the sweep's world (`tests/sweep/crawl.py`): which pages
    each person reaches, their HTML, the forms on them. Built and committed once per run; emptied at the end."""
    from tests.sweep.crawl import Crawl
    from tests.sweep.sweeper import quiet_request_log
    from tests.sweep.world import build_world

    media = tmp_path_factory.mktemp("crawl-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), quiet_request_log():
        started = time.monotonic()
        found = Crawl(build_world(), media).run()
        found.seconds = time.monotonic() - started
    yield found
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="session")
def _crawl_server(crawl, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    yield server
    server.stop()


@pytest.fixture
def crawl_site(_crawl_server, django_db_blocker, settings):
    """A live server on the crawl's world, for browser tests over the crawl's pages (log in with
    `crawl.session_cookie(person)`). Unlike pytest-django's `live_server` it leaves the world in the database
    (no flush afterwards), so any number of tests can use it."""
    settings.SITE_URL = _crawl_server.url
    _crawl_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield _crawl_server
    _crawl_server._live_server_modified_settings.disable()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def centrum(db):
    return CentreFactory(name="Kindcentrum De Boomgaard")


@pytest.fixture
def groep(centrum):
    return GroupFactory(centre=centrum, name="Dolfijnen")


@pytest.fixture
def andere_groep(centrum):
    return GroupFactory(centre=centrum, name="Vlinders")


@pytest.fixture
def kind(groep):
    return ChildFactory(group=groep, first_name="Jip")


@pytest.fixture
def ouder(kind):
    user = UserFactory(email="ouder@example.org", name="Anne de Vries")
    GuardianshipFactory(user=user, child=kind)
    return user


@pytest.fixture
def kind_buur(groep):
    return ChildFactory(group=groep, first_name="Mila")


@pytest.fixture
def ouder_buur(kind_buur):
    user = UserFactory(email="buur@example.org", name="Bram Bakker")
    GuardianshipFactory(user=user, child=kind_buur)
    return user


@pytest.fixture
def medewerker(groep):
    user = UserFactory(email="medewerker@example.org", name="Fatima Yilmaz")
    MembershipFactory(user=user, centre=groep.centre, role=Membership.Role.STAFF, groups=[groep])
    return user


@pytest.fixture
def manager(centrum):
    user = UserFactory(email="manager@example.org", name="Joost van Dam")
    MembershipFactory(user=user, centre=centrum, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def centrum_elders(db):
    return CentreFactory(name="IKC Het Anker")


@pytest.fixture
def groep_elders(centrum_elders):
    return GroupFactory(centre=centrum_elders, name="Egeltjes")


@pytest.fixture
def kind_elders(groep_elders):
    return ChildFactory(group=groep_elders, first_name="Finn")


@pytest.fixture
def ouder_elders(kind_elders):
    user = UserFactory(email="ouder2@example.org", name="Peter Visser")
    GuardianshipFactory(user=user, child=kind_elders)
    return user


@pytest.fixture
def medewerker_elders(groep_elders):
    user = UserFactory(email="medewerker2@example.org", name="Lisa de Boer")
    MembershipFactory(user=user, centre=groep_elders.centre, role=Membership.Role.STAFF, groups=[groep_elders])
    return user


@pytest.fixture
def manager_elders(centrum_elders):
    user = UserFactory(email="manager2@example.org", name="Ellen Smit")
    MembershipFactory(user=user, centre=centrum_elders, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def trainer(db):
    return UserFactory(email="trainer@example.org", name="Marieke Kok", is_trainer=True)


@pytest.fixture
def everyone(ouder, ouder_buur, medewerker, manager, ouder_elders, medewerker_elders, manager_elders, trainer):
    """All named people by fixture name (`tests.people.PEOPLE`), for sweeps over roles."""
    named = locals()
    return {name: named[name] for name in PEOPLE}
