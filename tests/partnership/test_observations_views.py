"""Writing, reading, changing and deleting observations, for every role."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog
from partnership.models import Observation, Side, Theme

from .factories import ObservationFactory, ReplyFactory, messages_of, nl
from .test_observations_models import SEES_KIND


@pytest.fixture
def observation(kind, ouder):
    return ObservationFactory(child=kind, author=ouder, side=Side.HOME, text="Sam sliep vannacht pas om negen uur.")


def post_observation(client, child, **data):
    payload = {
        "observed_on": timezone.localdate().isoformat(),
        "theme": Theme.SLEEPING,
        "text": "Sam viel vanavond snel in slaap na het voorlezen.",
        "token": str(uuid.uuid4()),
        **data,
    }
    return client.post(reverse("partnership:observation_create", args=[child.pk]), payload)


@pytest.mark.parametrize("view", ["observation_detail", "observation_edit", "observation_delete"])
def test_observation_pages_per_role(client, everyone, observation, view):
    url = reverse(f"partnership:{view}", args=[observation.pk])
    for name, user in everyone.items():
        client.force_login(user)
        response = client.get(url)
        if view == "observation_detail":
            expected = 200 if SEES_KIND[name] else 404
        else:  # only the author may change or delete
            expected = 200 if name == "ouder" else 404
        assert response.status_code == expected, (name, view)


@pytest.mark.parametrize(
    "view", ["observation_detail", "observation_edit", "observation_delete", "observation_create", "child_tips"]
)
def test_anonymous_is_sent_to_login(client, observation, view):
    pk = observation.child.pk if view in {"observation_create", "child_tips"} else observation.pk
    response = client.get(reverse(f"partnership:{view}", args=[pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_page_per_role(client, everyone, kind):
    url = reverse("partnership:observation_create", args=[kind.pk])
    for name, user in everyone.items():
        client.force_login(user)
        assert client.get(url).status_code == (200 if SEES_KIND[name] else 404), name


def test_nobody_outside_scope_can_post(client, everyone, kind):
    for name, user in everyone.items():
        if SEES_KIND[name]:
            continue
        client.force_login(user)
        assert post_observation(client, kind).status_code == 404, name
    assert not Observation.objects.exists()


def test_parent_writes_from_home_and_can_ask_a_question(client, ouder, kind):
    client.force_login(ouder)
    response = post_observation(client, kind, is_question="on")
    observation = Observation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{kind.get_absolute_url()}#observation-{observation.pk}"
    assert (observation.side, observation.author, observation.is_question) == (Side.HOME, ouder, True)
    page = client.get(response["Location"]).content.decode()
    assert "Sam viel vanavond snel in slaap" in page


@pytest.mark.parametrize("who", ["medewerker", "manager"])
def test_staff_and_manager_write_from_the_centre(client, request, kind, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    form_page = client.get(reverse("partnership:observation_create", args=[kind.pk])).content.decode()
    assert 'name="is_question"' not in form_page
    post_observation(client, kind, is_question="on")
    observation = Observation.objects.get()
    assert (observation.side, observation.is_question) == (Side.CENTRE, False)


def test_double_submit_saves_once(client, ouder, kind):
    client.force_login(ouder)
    token = str(uuid.uuid4())
    first = post_observation(client, kind, token=token)
    second = post_observation(client, kind, token=token)
    assert Observation.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert nl("This observation had already been saved.") in messages_of(second)


def test_two_forms_are_two_observations(client, ouder, kind):
    client.force_login(ouder)
    post_observation(client, kind)
    post_observation(client, kind)
    assert Observation.objects.count() == 2


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_text_gets_a_clear_message_and_keeps_the_rest(client, ouder, kind, text):
    client.force_login(ouder)
    response = post_observation(client, kind, text=text, theme=Theme.EATING)
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == [nl("Write a few words about what you saw.")]
    assert response.context["form"]["theme"].value() == Theme.EATING
    assert not Observation.objects.exists()


def test_very_long_text_gets_a_clear_message(client, ouder, kind):
    client.force_login(ouder)
    response = post_observation(client, kind, text="a" * 50_000)
    assert response.status_code == 200
    [error] = response.context["form"].errors["text"]
    assert "5000" in error and "50000" in error
    assert not Observation.objects.exists()


def test_text_at_the_limit_is_fine(client, ouder, kind):
    client.force_login(ouder)
    post_observation(client, kind, text="b" * 5000)
    assert len(Observation.objects.get().text) == 5000


def test_date_in_the_future_or_before_birth_is_refused(client, ouder, kind):
    client.force_login(ouder)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = post_observation(client, kind, observed_on=tomorrow.isoformat())
    assert response.context["form"].errors["observed_on"]
    before_birth = kind.date_of_birth - timedelta(days=1)
    response = post_observation(client, kind, observed_on=before_birth.isoformat())
    assert response.context["form"].errors["observed_on"]
    assert not Observation.objects.exists()


def test_missing_theme_and_bad_token_are_form_errors(client, ouder, kind):
    client.force_login(ouder)
    response = post_observation(client, kind, theme="", token="not-a-uuid")
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"theme", "token"}


def test_detail_shows_the_thread_and_logs_staff_reads(client, observation, medewerker, ouder):
    ReplyFactory(observation=observation, author=medewerker, side=Side.CENTRE, text="Bij ons sliep hij goed.")
    client.force_login(medewerker)
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "Sam sliep vannacht" in page and "Bij ons sliep hij goed." in page
    assert AccessLog.objects.filter(user=medewerker, child=observation.child, what="timeline").count() == 1
    client.force_login(ouder)
    client.get(observation.get_absolute_url())
    assert not AccessLog.objects.filter(user=ouder).exists()


def test_author_edits_within_a_day(client, observation, ouder):
    client.force_login(ouder)
    url = reverse("partnership:observation_edit", args=[observation.pk])
    response = client.post(
        url,
        {"observed_on": observation.observed_on.isoformat(), "theme": Theme.PLAYING, "text": "Toch om acht uur."},
    )
    assert response.status_code == 302
    observation.refresh_from_db()
    assert (observation.theme, observation.text) == (Theme.PLAYING, "Toch om acht uur.")
    assert observation.edited_at is not None


def test_edit_window_closes_after_a_day(client, observation, ouder):
    Observation.objects.filter(pk=observation.pk).update(created_at=timezone.now() - timedelta(hours=25))
    client.force_login(ouder)
    url = reverse("partnership:observation_edit", args=[observation.pk])
    response = client.post(url, {"observed_on": observation.observed_on.isoformat(), "theme": "eating", "text": "x"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.text == "Sam sliep vannacht pas om negen uur."


def test_staff_cannot_change_a_parents_words_and_vice_versa(client, observation, kind, medewerker, ouder):
    staff_words = ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE)
    client.force_login(medewerker)
    assert client.get(reverse("partnership:observation_edit", args=[observation.pk])).status_code == 404
    assert client.post(reverse("partnership:observation_delete", args=[observation.pk])).status_code == 404
    client.force_login(ouder)
    assert client.get(reverse("partnership:observation_edit", args=[staff_words.pk])).status_code == 404
    assert client.post(reverse("partnership:observation_delete", args=[staff_words.pk])).status_code == 404
    assert not Observation.objects.filter(deleted_at__isnull=False).exists()


def test_second_parent_cannot_edit_the_first_parents_words(client, observation, kind):
    from tests.factories import GuardianshipFactory

    other_parent = GuardianshipFactory(child=kind).user
    client.force_login(other_parent)
    assert client.get(reverse("partnership:observation_detail", args=[observation.pk])).status_code == 200
    assert client.get(reverse("partnership:observation_edit", args=[observation.pk])).status_code == 404


def test_soft_delete_keeps_the_thread_readable(client, observation, ouder, medewerker):
    ReplyFactory(observation=observation, author=medewerker, side=Side.CENTRE, text="Fijn dat je het vertelt.")
    client.force_login(ouder)
    response = client.post(reverse("partnership:observation_delete", args=[observation.pk]))
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.deleted_at is not None
    client.force_login(medewerker)
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "Sam sliep vannacht" not in page
    assert nl("This observation was deleted.") in page
    assert "Fijn dat je het vertelt." in page
    # No new replies under a deleted observation.
    client.post(reverse("partnership:reply_create", args=[observation.pk]), {f"reply-{observation.pk}-text": "Hoi"})
    assert observation.replies.count() == 1


def test_mark_seen_is_for_staff_on_home_observations(client, observation, everyone, medewerker, ouder):
    url = reverse("partnership:observation_mark_seen", args=[observation.pk])
    for name, user in everyone.items():
        if not SEES_KIND[name]:
            client.force_login(user)
            assert client.post(url).status_code == 404, name
    client.force_login(ouder)
    client.post(url)
    observation.refresh_from_db()
    assert observation.seen_at is None
    client.force_login(medewerker)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.seen_by == medewerker
    client.force_login(ouder)
    assert "Fatima Yilmaz" in client.get(observation.get_absolute_url()).content.decode()


def test_mark_seen_with_htmx_returns_the_card(client, observation, medewerker):
    client.force_login(medewerker)
    response = client.post(
        reverse("partnership:observation_mark_seen", args=[observation.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith("<article") or "<article" in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    "view",
    [
        "observation_mark_seen",
        "reply_create",
        "reply_edit",
        "reply_delete",
        "tip_outcome",
        "observation_photo",
        "observation_photo_thumbnail",
    ],
)
def test_anonymous_is_sent_to_login_everywhere(client, observation, medewerker, view):
    reply = ReplyFactory(observation=observation, author=medewerker, side=Side.CENTRE, is_tip=True)
    pk = observation.pk if view in {"observation_mark_seen", "reply_create"} else reply.pk
    response = client.post(reverse(f"partnership:{view}", args=[pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("partnership:group_overview")).status_code == 302
