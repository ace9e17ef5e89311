"""Every main page answers in the same number of queries with a little and with much more data: no query per
item on the child page, the homes, the group overview, events, agreements, notifications, talks, group
moments and messages. (Bookings and the intake desk have their own two-size tests in tests/trainings.)"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnership.models import Side
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory
from tests.partnership.event_factories import CentreAgreementFactory, ChildAgreementFactory, EventFactory, RsvpFactory
from tests.partnership.factories import ObservationFactory, ReplyFactory, TipOutcomeFactory
from tests.partnership.talk_factories import TalkRoundFactory, TalkSlotFactory
from tests.partnership.team_factories import GroupMomentFactory, MomentReplyFactory, TeamMessageFactory


def add_data(n, *, kind, groep, centrum, ouder, medewerker):
    """n more of everything the pages list, on both sides and for more children."""
    for i in range(n):
        home = ObservationFactory(child=kind, author=ouder, side=Side.HOME)
        centre = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, is_question=bool(i % 2))
        ReplyFactory(observation=home, author=medewerker, side=Side.CENTRE)
        tip = ReplyFactory(observation=centre, author=ouder, side=Side.HOME, is_tip=True)
        TipOutcomeFactory(tip=tip, author=medewerker)
        sibling = ChildFactory(group=groep)
        GuardianshipFactory(child=sibling, user=UserFactory())
        ObservationFactory(child=sibling, author=medewerker, side=Side.CENTRE)
        event = EventFactory(centre=centrum, starts_at=timezone.now() + timedelta(days=3 + i))
        RsvpFactory(event=event, person=ouder)
        RsvpFactory(event=event, person=UserFactory())
        CentreAgreementFactory(centre=centrum)
        ChildAgreementFactory(child=kind, proposed_by=medewerker, proposed_side=Side.CENTRE)
        Notification.objects.create(recipient=ouder, message=f"Nieuw {i}", url=kind.get_absolute_url())
        Notification.objects.create(recipient=medewerker, message=f"Nieuw {i}", url=kind.get_absolute_url())
        moment = GroupMomentFactory(group=groep, author=medewerker, children=[kind, sibling])
        MomentReplyFactory(moment=moment, child=kind, author=ouder, side=Side.HOME)
        TeamMessageFactory(child=kind, author=ouder)
        talk_round = TalkRoundFactory(group=groep, created_by=medewerker)
        TalkSlotFactory(round=talk_round, child=kind)


PAGES = {
    "child page (staff)": ("medewerker", lambda kind: kind.get_absolute_url()),
    "child page (parent)": ("ouder", lambda kind: kind.get_absolute_url()),
    "parent home": ("ouder", lambda kind: reverse("home")),
    "staff home": ("medewerker", lambda kind: reverse("home")),
    "group overview": ("medewerker", lambda kind: reverse("partnership:group_overview")),
    "events": ("ouder", lambda kind: reverse("partnership:event_list")),
    "agreements": ("ouder", lambda kind: reverse("partnership:agreement_overview")),
    "notifications": ("ouder", lambda kind: reverse("notifications:notification_list")),
    "talks (staff)": ("medewerker", lambda kind: reverse("partnership:talk_round_list")),
    "talks (parent)": ("ouder", lambda kind: reverse("partnership:talk_round_list")),
    "group moments": ("medewerker", lambda kind: reverse("partnership:moment_list")),
    "messages": ("medewerker", lambda kind: reverse("partnership:message_inbox")),
}


def count(client, url):
    client.get(url)  # first visit of the page: a 'last seen' mark and the like are written once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_data(
    page, client, kind, groep, centrum, ouder, medewerker, django_assert_max_num_queries
):
    who, url_of = PAGES[page]
    people = {"ouder": ouder, "medewerker": medewerker}
    client.force_login(people[who])
    url = url_of(kind)
    data = {"kind": kind, "groep": groep, "centrum": centrum, "ouder": ouder, "medewerker": medewerker}
    add_data(2, **data)
    small = count(client, url)
    assert small <= 25, f"{page}: {small} queries"
    add_data(8, **data)
    client.get(url)
    with django_assert_max_num_queries(small):
        assert client.get(url).status_code == 200


def test_an_event_page_does_not_grow_with_its_answers(client, ouder, centrum, django_assert_max_num_queries):
    event = EventFactory(centre=centrum)
    client.force_login(ouder)
    RsvpFactory(event=event, person=ouder)
    small = count(client, event.get_absolute_url())
    for _ in range(15):
        RsvpFactory(event=event, person=UserFactory())
    with django_assert_max_num_queries(small):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_templates_are_compiled_once_per_process():
    """Django's cached template loader is on (settings leave `loaders` unset, so Django chooses it)."""
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
