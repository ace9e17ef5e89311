"""Replies from either side, tips, and the other side saying whether a tip worked."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.models import Reply, Side, TipOutcome

from .factories import ObservationFactory, ReplyFactory, TipOutcomeFactory, messages_of, nl
from .test_observations_models import SEES_KIND


@pytest.fixture
def observation(kind, ouder):
    return ObservationFactory(
        child=kind, author=ouder, side=Side.HOME, text="Sam wil niet meer slapen tussen de middag."
    )


@pytest.fixture
def tip(observation, medewerker):
    return ReplyFactory(
        observation=observation, author=medewerker, side=Side.CENTRE, is_tip=True, text="Probeer een vast liedje."
    )


def post_reply(client, observation, headers=None, **data):
    prefix = f"reply-{observation.pk}"
    payload = {f"{prefix}-text": "Herkenbaar, bij ons ook.", f"{prefix}-token": str(uuid.uuid4())}
    payload.update({f"{prefix}-{key}": value for key, value in data.items()})
    return client.post(reverse("partnership:reply_create", args=[observation.pk]), payload, headers=headers or {})


def test_reply_per_role(client, everyone, observation):
    for name, user in everyone.items():
        client.force_login(user)
        response = post_reply(client, observation)
        assert response.status_code == (302 if SEES_KIND[name] else 404), name
    assert set(Reply.objects.values_list("author__email", flat=True)) == {
        "ouder@example.org",
        "medewerker@example.org",
        "manager@example.org",
    }


def test_anonymous_cannot_reply(client, observation):
    response = post_reply(client, observation)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Reply.objects.exists()


def test_reply_get_is_not_allowed(client, observation, ouder):
    client.force_login(ouder)
    assert client.get(reverse("partnership:reply_create", args=[observation.pk])).status_code == 405


def test_staff_reply_is_from_the_centre_and_can_be_a_tip(client, observation, medewerker):
    client.force_login(medewerker)
    response = post_reply(client, observation, is_tip="on", text="Heb je een vast slaapliedje geprobeerd?")
    reply = Reply.objects.get()
    assert (reply.side, reply.is_tip, reply.author) == (Side.CENTRE, True, medewerker)
    assert response["Location"].endswith(f"#reply-{reply.pk}")
    assert nl("Your tip has been shared.") in messages_of(response)


def test_reply_returns_to_the_page_it_was_sent_from(client, observation, ouder, kind):
    client.force_login(ouder)
    timeline = f"{kind.get_absolute_url()}?theme=sleeping"
    response = client.post(
        reverse("partnership:reply_create", args=[observation.pk]),
        {f"reply-{observation.pk}-text": "Dank je!", "next": timeline},
    )
    assert response["Location"].startswith(timeline + "#reply-")
    response = client.post(
        reverse("partnership:reply_create", args=[observation.pk]),
        {f"reply-{observation.pk}-text": "Nog iets", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith(observation.get_absolute_url())


def test_double_submit_of_a_reply_saves_once(client, observation, ouder):
    client.force_login(ouder)
    token = str(uuid.uuid4())
    post_reply(client, observation, token=token)
    post_reply(client, observation, token=token)
    assert Reply.objects.count() == 1


@pytest.mark.parametrize(("text", "message"), [("  ", "Write your reply first."), ("x" * 50_000, None)])
def test_bad_reply_text_gets_a_clear_message(client, observation, ouder, text, message):
    client.force_login(ouder)
    response = post_reply(client, observation, text=text)
    assert response.status_code == 200
    [error] = response.context["reply_form"].errors["text"]
    assert error == nl(message) if message else "5000" in error
    assert not Reply.objects.exists()


def test_reply_with_htmx_swaps_the_card_with_a_message(client, observation, medewerker):
    client.force_login(medewerker)
    response = post_reply(client, observation, headers={"HX-Request": "true"}, text="Wat fijn om te lezen.")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and f'id="observation-{observation.pk}"' in body
    assert "Wat fijn om te lezen." in body and nl("Your reply has been saved.") in body


def test_reply_with_htmx_and_an_error_keeps_the_form_open(client, observation, medewerker):
    client.force_login(medewerker)
    response = post_reply(client, observation, headers={"HX-Request": "true"}, text="")
    body = response.content.decode()
    assert response.status_code == 200  # htmx only swaps 2xx answers
    assert nl("Write your reply first.") in body and '<details class="mt-2 reply-box" open>' in body


def test_author_edits_and_deletes_a_reply(client, tip, medewerker):
    client.force_login(medewerker)
    url = reverse("partnership:reply_edit", args=[tip.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"text": "Probeer een vast liedje, elke dag hetzelfde.", "is_tip": "on"})
    tip.refresh_from_db()
    assert tip.text.endswith("elke dag hetzelfde.") and tip.edited_at
    client.post(reverse("partnership:reply_delete", args=[tip.pk]))
    tip.refresh_from_db()
    assert tip.deleted_at is not None
    page = client.get(tip.observation.get_absolute_url()).content.decode()
    assert nl("This reply was deleted.") in page and "elke dag hetzelfde" not in page


def test_reply_edit_window_closes(client, tip, medewerker):
    Reply.objects.filter(pk=tip.pk).update(created_at=timezone.now() - timedelta(days=2))
    client.force_login(medewerker)
    response = client.post(reverse("partnership:reply_edit", args=[tip.pk]), {"text": "Anders"})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.text == "Probeer een vast liedje."


def test_only_the_author_may_change_or_delete_a_reply(client, tip, everyone):
    for name, user in everyone.items():
        if name == "medewerker":
            continue
        client.force_login(user)
        assert client.get(reverse("partnership:reply_edit", args=[tip.pk])).status_code == 404, name
        assert client.post(reverse("partnership:reply_delete", args=[tip.pk])).status_code == 404, name
    tip.refresh_from_db()
    assert tip.deleted_at is None


def test_parent_says_a_staff_tip_worked(client, tip, ouder):
    client.force_login(ouder)
    url = reverse("partnership:tip_outcome", args=[tip.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"result": "worked", "comment": "Na drie dagen sliep ze weer."})
    assert response.status_code == 302
    outcome = TipOutcome.objects.get()
    assert (outcome.tip, outcome.author, outcome.result) == (tip, ouder, TipOutcome.Result.WORKED)
    # Saying it again updates the one answer.
    client.post(url, {"result": "partly", "comment": "Soms wel, soms niet."})
    assert TipOutcome.objects.get().result == TipOutcome.Result.PARTLY


def test_outcome_needs_a_result(client, tip, ouder):
    client.force_login(ouder)
    response = client.post(reverse("partnership:tip_outcome", args=[tip.pk]), {"comment": "Geen idee"})
    assert response.status_code == 200
    assert response.context["form"].errors["result"] == [nl("Choose whether the tip worked.")]
    assert response.context["form"]["comment"].value() == "Geen idee"


def test_the_tips_own_side_cannot_mark_it_tried(client, tip, medewerker, manager):
    for user in (medewerker, manager):
        client.force_login(user)
        response = client.post(reverse("partnership:tip_outcome", args=[tip.pk]), {"result": "worked"})
        assert response.status_code == 302
    assert not TipOutcome.objects.exists()


def test_staff_try_a_parents_tip(client, observation, ouder, medewerker):
    parent_tip = ReplyFactory(observation=observation, author=ouder, side=Side.HOME, is_tip=True)
    client.force_login(medewerker)
    client.post(reverse("partnership:tip_outcome", args=[parent_tip.pk]), {"result": "not"})
    assert TipOutcome.objects.get(tip=parent_tip).result == TipOutcome.Result.NOT


def test_outcome_per_role_and_not_for_plain_replies(client, tip, everyone, observation, medewerker):
    plain = ReplyFactory(observation=observation, author=medewerker, side=Side.CENTRE)
    for name, user in everyone.items():
        client.force_login(user)
        assert client.get(reverse("partnership:tip_outcome", args=[plain.pk])).status_code == 404, name
        if not SEES_KIND[name]:
            assert client.get(reverse("partnership:tip_outcome", args=[tip.pk])).status_code == 404, name


def test_a_tip_that_was_tried_stays_a_tip(client, tip, ouder, medewerker):
    TipOutcomeFactory(tip=tip, author=ouder)
    client.force_login(medewerker)
    response = client.post(reverse("partnership:reply_edit", args=[tip.pk]), {"text": tip.text})
    assert response.status_code == 200 and response.context["form"].errors["is_tip"]
    tip.refresh_from_db()
    assert tip.is_tip


def test_tips_and_outcomes_on_the_childs_page(client, tip, ouder, medewerker, kind):
    TipOutcomeFactory(tip=tip, author=ouder, result="worked", comment="Het werkte meteen.")
    client.force_login(medewerker)
    page = client.get(kind.get_absolute_url()).content.decode()
    assert "Probeer een vast liedje." in page and "Het werkte meteen." in page
    assert 'data-result="worked"' in page


def test_tips_page_per_role(client, tip, everyone, kind):
    url = reverse("partnership:child_tips", args=[kind.pk])
    for name, user in everyone.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == (200 if SEES_KIND[name] else 404), name
        if SEES_KIND[name]:
            assert "Probeer een vast liedje." in response.content.decode()


@pytest.mark.parametrize("tips", [2, 12])
def test_tips_page_queries_do_not_grow(
    client, observation, medewerker, ouder, kind, tips, django_assert_max_num_queries
):
    for _ in range(tips):
        TipOutcomeFactory(tip__observation=observation, tip__author=medewerker, author=ouder)
    client.force_login(ouder)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("partnership:child_tips", args=[kind.pk])).status_code == 200
