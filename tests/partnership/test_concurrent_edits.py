"""Two people editing the same shared thing: the second save is refused and shows the first one's change.

Each test opens the edit page twice, as a browser would (the hidden version included), saves the first, then the
second: the second is refused, the first's value stays, and the second person's text is still in the form.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from partnership.models import ChildAgreement, Event, Observation, Reply
from tests.fuzz.forms import forms_in

from .event_factories import CentreAgreementFactory, ChildAgreementFactory, EventFactory
from .factories import ObservationFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def opened(client, url):
    """The edit form on `url` as the browser would send it untouched."""
    response = client.get(url)
    assert response.status_code == 200
    (form,) = [form for form in forms_in(response.content.decode()) if "version" in form.fields]
    return form.defaults()


def refused(response, field, others_value):
    assert response.status_code == 200
    form = response.context["form"]
    assert "stale_version" in [error.code for error in form.non_field_errors().as_data()]
    assert any(others_value in error for error in form.errors[field]), form.errors
    return form


def test_centre_agreement_second_manager_is_refused(centrum, manager):
    other_manager = manager.__class__.objects.create_user(email="manager3@example.org", password="x" * 12)
    centrum.memberships.create(user=other_manager, role="manager")
    rule = CentreAgreementFactory(centre=centrum, title="Brengen tot 9 uur", text="Tot 9 uur.")
    url = reverse("partnership:centre_agreement_edit", args=[rule.pk])
    first, second = logged_in(manager), logged_in(other_manager)
    first_form, second_form = opened(first, url), opened(second, url)

    assert first.post(url, {**first_form, "text": "Tot half 10."}).status_code == 302
    form = refused(second.post(url, {**second_form, "text": "Tot 9 uur, ook op vrijdag."}), "text", "Tot half 10.")
    assert form["text"].value() == "Tot 9 uur, ook op vrijdag."
    rule.refresh_from_db()
    assert rule.text == "Tot half 10."


def test_child_agreement_change_second_side_is_refused(ouder, medewerker, kind):
    agreement = ChildAgreementFactory(child=kind, title="Middagslaap", text="Om 13:00.", proposed_by=ouder)
    url = reverse("partnership:agreement_change", args=[agreement.pk])
    parent, staff = logged_in(ouder), logged_in(medewerker)
    parent_form, staff_form = opened(parent, url), opened(staff, url)

    assert parent.post(url, {**parent_form, "text": "Geen middagslaap."}).status_code == 302
    refused(staff.post(url, {**staff_form, "text": "Om 12:30."}), "text", "Geen middagslaap.")
    agreement.refresh_from_db()
    assert (agreement.text, agreement.proposed_by) == ("Geen middagslaap.", ouder)


def test_accepting_a_version_that_changed_in_between_is_refused_with_the_new_text(ouder, manager, kind):
    agreement = ChildAgreementFactory(child=kind, title="Middagslaap", text="Middagslaap om 13:00.", proposed_by=ouder)
    shown = agreement.version
    parent = logged_in(ouder)
    change_url = reverse("partnership:agreement_change", args=[agreement.pk])
    assert parent.post(change_url, {**opened(parent, change_url), "text": "Geen middagslaap."}).status_code == 302

    response = logged_in(manager).post(
        reverse("partnership:agreement_accept", args=[agreement.pk]), {"version": shown}, follow=True
    )
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.PROPOSED
    assert "Geen middagslaap." in response.content.decode()
    assert "error" in [message.level_tag for message in response.context["messages"]]


def test_accepting_twice_by_a_double_click_is_harmless(ouder, manager, kind, django_capture_on_commit_callbacks):
    agreement = ChildAgreementFactory(child=kind, title="Middagslaap", text="Om 13:00.", proposed_by=ouder)
    page = logged_in(manager).get(agreement.get_absolute_url()).content.decode()
    (accept,) = [form for form in forms_in(page) if form.action.endswith("/accept/")]
    client = logged_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(accept.action, accept.defaults(), follow=True)
        second = client.post(accept.action, accept.defaults(), follow=True)
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.ACCEPTED and agreement.accepted_by == manager
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    assert [m.level_tag for m in second.context["messages"]] == ["info"]
    assert Notification.objects.filter(recipient=ouder, url=agreement.get_absolute_url()).count() == 1
    assert agreement.history.filter(status=ChildAgreement.Status.ACCEPTED).count() == 1


def test_accept_without_the_shown_version_is_refused(ouder, manager, kind):
    agreement = ChildAgreementFactory(child=kind, proposed_by=ouder)
    logged_in(manager).post(reverse("partnership:agreement_accept", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.PROPOSED


def test_event_second_editor_is_refused(centrum, medewerker, manager):
    event = EventFactory(centre=centrum, title="Ouderavond", location="Speelzaal")
    url = reverse("partnership:event_edit", args=[event.pk])
    staff, boss = logged_in(medewerker), logged_in(manager)
    staff_form, boss_form = opened(staff, url), opened(boss, url)

    assert staff.post(url, {**staff_form, "location": "Gymzaal"}).status_code == 302
    refused(boss.post(url, {**boss_form, "location": "Kantine"}), "location", "Gymzaal")
    event.refresh_from_db()
    assert (event.location, event.sequence) == ("Gymzaal", 1)


def test_event_unchanged_round_trip_saves(centrum, medewerker):
    event = EventFactory(centre=centrum, title="Koffieochtend")
    url = reverse("partnership:event_edit", args=[event.pk])
    client = logged_in(medewerker)
    assert client.post(url, opened(client, url)).status_code == 302
    assert Event.objects.get(pk=event.pk).version == 2


def test_observation_edited_in_two_tabs_keeps_the_first_save(ouder, kind):
    observation = ObservationFactory(child=kind, author=ouder, side="home", text="Jip at goed.")
    url = reverse("partnership:observation_edit", args=[observation.pk])
    tab_one, tab_two = logged_in(ouder), logged_in(ouder)
    one, two = opened(tab_one, url), opened(tab_two, url)
    assert tab_one.post(url, {**one, "text": "Jip at alles op."}).status_code == 302
    refused(tab_two.post(url, {**two, "text": "Jip at weinig."}), "text", "Jip at alles op.")
    assert Observation.objects.get(pk=observation.pk).text == "Jip at alles op."


def test_reply_edited_in_two_tabs_keeps_the_first_save(ouder, medewerker, kind):
    observation = ObservationFactory(child=kind, author=ouder, side="home")
    reply = ReplyFactory(observation=observation, author=medewerker, side="centre", text="Fijn!")
    url = reverse("partnership:reply_edit", args=[reply.pk])
    tab_one, tab_two = logged_in(medewerker), logged_in(medewerker)
    one, two = opened(tab_one, url), opened(tab_two, url)
    assert tab_one.post(url, {**one, "text": "Fijn om te horen!"}).status_code == 302
    refused(tab_two.post(url, {**two, "text": "Goed zo."}), "text", "Fijn om te horen!")
    assert Reply.objects.get(pk=reply.pk).text == "Fijn om te horen!"


def test_agreement_unchanged_round_trip_of_a_suggestion_saves(ouder, kind):
    agreement = ChildAgreementFactory(
        child=kind, proposed_by=ouder, review_date=timezone.localdate() + timedelta(weeks=4)
    )
    url = reverse("partnership:agreement_change", args=[agreement.pk])
    client = logged_in(ouder)
    data = opened(client, url)
    assert client.post(url, {**data, "text": data["text"] + " Ook op woensdag."}).status_code == 302


def test_tip_outcome_second_parent_is_refused(ouder, medewerker, kind):
    from tests.factories import GuardianshipFactory, UserFactory

    from .factories import TipOutcomeFactory

    other_parent = UserFactory(email="papa@example.org")
    GuardianshipFactory(user=other_parent, child=kind)
    observation = ObservationFactory(child=kind, author=ouder, side="home")
    tip = ReplyFactory(observation=observation, author=medewerker, side="centre", is_tip=True)
    outcome = TipOutcomeFactory(tip=tip, author=ouder, result="partly", comment="Soms.")
    url = reverse("partnership:tip_outcome", args=[tip.pk])
    first, second = logged_in(ouder), logged_in(other_parent)
    first_form, second_form = opened(first, url), opened(second, url)
    assert first.post(url, {**first_form, "result": "worked", "comment": "Nu elke dag."}).status_code == 302
    refused(second.post(url, {**second_form, "result": "not", "comment": "Bij mij niet."}), "comment", "Nu elke dag.")
    outcome.refresh_from_db()
    assert (outcome.result, outcome.comment) == ("worked", "Nu elke dag.")


def test_an_edit_keeps_what_others_saved_outside_the_form(ouder, medewerker, kind):
    """Staff mark the observation seen while its author edits it: the edit keeps the mark."""
    observation = ObservationFactory(child=kind, author=ouder, side="home", text="Jip sliep slecht.")
    url = reverse("partnership:observation_edit", args=[observation.pk])
    author = logged_in(ouder)
    form = opened(author, url)
    staff = logged_in(medewerker)
    assert staff.post(reverse("partnership:observation_mark_seen", args=[observation.pk])).status_code == 302

    assert author.post(url, {**form, "text": "Jip sliep slecht, om 3 uur wakker."}).status_code == 302
    observation.refresh_from_db()
    assert observation.text == "Jip sliep slecht, om 3 uur wakker."
    assert observation.seen_by == medewerker and observation.seen_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_double_click_arriving_at_the_same_moment_accepts_once(ouder, manager, kind):
    """Two accept requests in real, concurrent transactions: one accepts, the other finds it accepted."""
    import re
    import threading

    from django.db import connection

    agreement = ChildAgreementFactory(child=kind, title="Middagslaap", text="Om 13:00.", proposed_by=ouder)
    url = reverse("partnership:agreement_accept", args=[agreement.pk])
    start = threading.Barrier(2)
    levels, errors = [], []

    def click():
        try:
            client = logged_in(manager)
            start.wait(10)
            response = client.post(url, {"version": agreement.version}, follow=True)
            # The rendered page, not response.context: that is shared between threads.
            levels.extend(re.findall(r'class="alert alert-(\w+) alert-dismissible', response.content.decode()))
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert errors == []
    assert sorted(levels) == ["info", "success"]
    agreement.refresh_from_db()
    assert agreement.status == ChildAgreement.Status.ACCEPTED and agreement.version == 2
    assert agreement.history.filter(status=ChildAgreement.Status.ACCEPTED).count() == 1
    assert Notification.objects.filter(recipient=ouder, url=agreement.get_absolute_url()).count() == 1
