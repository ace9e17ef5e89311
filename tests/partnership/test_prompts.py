"""Prompts: short questions under a centre observation or a group moment that start a parent's reply."""

import pytest
from django.urls import reverse

from partnership.models import MomentReply, Reply, Side
from partnership.models.prompts import MOMENT_PROMPTS, OBSERVATION_PROMPTS, Prompt

from .factories import ObservationFactory, ReplyFactory
from .team_factories import GroupMomentFactory, MomentReplyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_observation(kind, medewerker):
    return ObservationFactory(child=kind, author=medewerker, side=Side.CENTRE, text="Jip stapelde zes blokken")


def test_a_parent_sees_two_or_three_prompts_under_a_centre_observation(client, ouder, kind, centre_observation):
    ObservationFactory(child=kind, author=ouder, side=Side.HOME)
    client.force_login(ouder)
    html = client.get(kind.get_absolute_url()).content.decode()
    assert 2 <= len(OBSERVATION_PROMPTS) <= 3
    for prompt in OBSERVATION_PROMPTS:
        assert f"?prompt={prompt.value}" in html
    assert html.count('data-prompt="see_at_home"') == 1, "only under the centre's observation, not under home's"
    assert "Zie je dit thuis ook?" in html


def test_staff_see_no_prompts(client, medewerker, kind, centre_observation):
    client.force_login(medewerker)
    assert "data-prompt=" not in client.get(kind.get_absolute_url()).content.decode()


def test_a_prompt_starts_the_reply_and_is_kept_with_it(client, ouder, centre_observation, medewerker):
    client.force_login(ouder)
    page = client.get(centre_observation.get_absolute_url() + "?prompt=child_at_home")
    form = page.context["reply_form"]
    assert form.initial["prompt"] == "child_at_home"
    assert "checked" in str(form["prompt"]) and "open" in page.content.decode()
    prefix = f"reply-{centre_observation.pk}"
    client.post(
        reverse("partnership:reply_create", args=[centre_observation.pk]),
        {f"{prefix}-prompt": "child_at_home", f"{prefix}-text": "Hij bouwde thuis meteen een toren."},
    )
    reply = Reply.objects.get()
    assert reply.prompt == Prompt.CHILD_AT_HOME and reply.side == Side.HOME
    client.force_login(medewerker)
    html = client.get(centre_observation.get_absolute_url()).content.decode()
    assert "Wat vond je kind er thuis van?" in html, "staff see which question was answered"


def test_an_unknown_prompt_is_refused_and_an_empty_one_is_own_words(client, ouder, centre_observation):
    client.force_login(ouder)
    prefix = f"reply-{centre_observation.pk}"
    url = reverse("partnership:reply_create", args=[centre_observation.pk])
    client.post(url, {f"{prefix}-prompt": "<script>", f"{prefix}-text": "x"})
    assert not Reply.objects.exists()
    client.post(url, {f"{prefix}-prompt": "", f"{prefix}-text": "Gewoon een antwoord"})
    assert Reply.objects.get().prompt == ""
    assert client.get(centre_observation.get_absolute_url() + "?prompt=nonsense").status_code == 200


def test_a_prompt_under_a_group_moment(client, ouder, groep, kind, medewerker):
    moment = GroupMomentFactory(group=groep, children=[kind])
    client.force_login(ouder)
    assert all(f"?prompt={p.value}" in client.get(kind.get_absolute_url()).content.decode() for p in MOMENT_PROMPTS)
    page = client.get(moment.get_absolute_url() + "?prompt=told_at_home")
    (_child, form) = page.context["threads"][0]
    assert form.initial["prompt"] == "told_at_home"
    client.post(
        reverse("partnership:moment_reply", args=[moment.pk]),
        {
            "child": kind.pk,
            f"moment-{moment.pk}-{kind.pk}-prompt": "told_at_home",
            f"moment-{moment.pk}-{kind.pk}-text": "Ja, over de hut!",
        },
    )
    assert MomentReply.objects.get().prompt == Prompt.TOLD_AT_HOME


def test_staff_see_which_prompts_get_answers(client, medewerker, groep, kind, kind_elders, ouder, centre_observation):
    ReplyFactory(observation=centre_observation, side=Side.HOME, author=ouder, prompt=Prompt.SEE_AT_HOME)
    ReplyFactory(observation=centre_observation, side=Side.HOME, author=ouder, prompt=Prompt.SEE_AT_HOME)
    ReplyFactory(observation=centre_observation, side=Side.HOME, author=ouder, prompt="")
    ReplyFactory(observation=centre_observation, side=Side.CENTRE, author=medewerker, prompt="")
    moment = GroupMomentFactory(group=groep, children=[kind])
    MomentReplyFactory(moment=moment, child=kind, side=Side.HOME, prompt=Prompt.TOLD_AT_HOME)
    elders = ObservationFactory(child=kind_elders, side=Side.CENTRE)
    ReplyFactory(observation=elders, side=Side.HOME, prompt=Prompt.SEE_AT_HOME)
    client.force_login(medewerker)
    response = client.get(reverse("partnership:prompt_answers"))
    rows = {row["prompt"]: row for row in response.context["rows"]}
    assert rows[Prompt.SEE_AT_HOME]["observations"] == 2, "not the other centre's"
    assert rows[Prompt.TOLD_AT_HOME]["moments"] == 1 and rows[Prompt.TOLD_AT_HOME]["observations"] is None
    assert response.context["own_words"] == {"observations": 1, "moments": 0}
    assert response.context["rows"][0]["prompt"] == Prompt.SEE_AT_HOME, "most answered first"


@pytest.mark.parametrize("person", ["ouder", "ouder_elders", "trainer"])
def test_only_staff_and_managers_see_the_prompt_answers(client, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("partnership:prompt_answers")).status_code == 404


def test_anonymous_visitors_go_to_the_login(client, db):
    response = client.get(reverse("partnership:prompt_answers"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("size", [1, 10])
def test_the_prompt_answers_page_does_not_grow(client, medewerker, kind, ouder, size, django_assert_max_num_queries):
    observation = ObservationFactory(child=kind, side=Side.CENTRE)
    for prompt in OBSERVATION_PROMPTS:
        ReplyFactory.create_batch(size, observation=observation, side=Side.HOME, prompt=prompt)
    client.force_login(medewerker)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("partnership:prompt_answers")).status_code == 200
