"""A family's own data: complete for every model that refers to the child or the parent, nothing of anyone else."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.urls import reverse

from children.models import Child
from children.privacy.family_data import child_paths, data_models, foreign_keys, is_historical, many_to_many
from children.privacy.services import record_consent
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory
from tests.people import PEOPLE

from .family_builder import Family, family_models, fill, history_labels, jpeg_bytes


def download(client, user, child):
    client.force_login(user)
    response = client.get(reverse("children:child_export", args=[child.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return archive


def exported_rows(archive):
    document = json.loads(archive.read("data.json"))
    return {(label, row["pk"]) for label, section in document["records"].items() for row in section["rows"]}


def expected_rows(child, person):
    """The specification, written plainly: rows pointing at the child or the person, and the rows under them
    (CASCADE), and their history; never a row that leads to another child."""
    user_model = get_user_model()
    found = {Child: {child.pk}, user_model: {person.pk}}
    grown = True
    while grown:
        grown = False
        for model in data_models():
            if model in found and model in (Child, user_model):
                continue
            condition = Q(pk__in=[])
            for f in [*foreign_keys(model), *many_to_many(model)]:
                if f.related_model is Child:
                    condition |= Q(**{f"{f.name}": child.pk})
                elif f.related_model is user_model:
                    condition |= Q(**{f"{f.name}": person.pk})
                elif (
                    (f.many_to_one or f.one_to_one)
                    and f.remote_field.on_delete is models.CASCADE
                    and found.get(f.related_model)
                ):
                    condition |= Q(**{f"{f.name}__in": found[f.related_model]})
            if is_historical(model) and found.get(model.instance_type):
                condition |= Q(id__in=found[model.instance_type])
            for path in child_paths(model):
                condition &= Q(**{path: child.pk}) | Q(**{f"{path}__isnull": True})
            pks = set(model._base_manager.filter(condition).values_list("pk", flat=True))
            if not pks <= found.get(model, set()):
                found.setdefault(model, set()).update(pks)
                grown = True
    # A row listing children in a many-to-many (a group moment) belongs to the family only when it lists this child.
    for model, pks in found.items():
        for f in many_to_many(model):
            if f.related_model is Child and pks:
                listed_elsewhere = model._base_manager.filter(**{f"{f.name}__isnull": False}).exclude(
                    **{f"{f.name}__in": [child.pk]}
                )
                found[model] = pks - set(listed_elsewhere.values_list("pk", flat=True))
    # A model may narrow what a family downloads (a group photo with another child whose parents gave no consent).
    for model, pks in found.items():
        narrow = getattr(model._default_manager, "for_family_download", None)
        if narrow is not None:
            found[model] = set(narrow([child.pk]).filter(pk__in=pks).values_list("pk", flat=True))
    return {(m._meta.label_lower, pk) for m, pks in found.items() for pk in pks}


@pytest.fixture
def families(ouder, kind, ouder_buur, kind_buur, medewerker):
    """Sam's family (filled for every model), Sam's sibling with the same parent, and the neighbours."""
    sibling = ChildFactory(group=kind.group, first_name="Noor")
    GuardianshipFactory(user=ouder, child=sibling)
    for child, color in ((kind, (10, 200, 10)), (sibling, (200, 10, 10))):
        child.photo.save(f"{child.first_name}.jpg", ContentFile(jpeg_bytes(color)))
    mine = fill(Family("sam", kind, ouder))
    sister = fill(Family("noor", sibling, ouder), [m for m in family_models() if child_paths(m)])
    neighbours = fill(Family("buur", kind_buur, ouder_buur))
    return mine, sister, neighbours


def test_download_holds_every_row_about_the_child_and_the_parent_and_nothing_else(client, families, ouder, kind):
    mine, sister, neighbours = families
    archive = download(client, ouder, kind)
    exported = exported_rows(archive)
    expected = expected_rows(kind, ouder)

    # Complete: every model that refers to a child or a person has rows for this family, and all are there.
    present = {label for label, _pk in expected}
    missing_models = [
        m._meta.label for m in family_models() if not is_historical(m) and m._meta.label_lower not in present
    ]
    assert not missing_models, (missing_models, mine.failures)
    assert expected - exported == set()

    # Nothing of the sibling (same parent!) nor of the neighbours, not even as text.
    # A row the sibling's fill made but that leads to no child (a parent's nudge to book a talk) is the
    # parent's own: the specification above decides it, so it is not counted as the sibling's.
    others = (sister.labels() | neighbours.labels() | history_labels(sister) | history_labels(neighbours)) - (
        mine.labels() | expected
    )
    assert exported & others == set()
    assert exported - expected == set()
    text = archive.read("data.json").decode() + archive.read("summary.html").decode()
    assert mine.canary() in text
    assert sister.canary() not in text
    assert neighbours.canary() not in text
    assert "Noor" not in text and kind.first_name in text


def test_download_includes_the_photo_files(client, families, ouder, kind):
    mine, sister, neighbours = families
    archive = download(client, ouder, kind)
    document = json.loads(archive.read("data.json"))
    paths = set()
    for section in document["records"].values():
        for row in section["rows"]:
            paths.update(v for v in row.values() if isinstance(v, str) and v.startswith("files/"))
    assert paths, "the family has photos"
    names = set(archive.namelist())
    assert paths <= names
    contents = {archive.read(p) for p in paths}
    for stored in [*mine.files, kind.photo.name]:
        with default_storage.open(stored, "rb") as source:
            assert source.read() in contents
    sibling = Child.objects.get(first_name="Noor")
    with default_storage.open(sibling.photo.name, "rb") as source:
        assert source.read() not in contents
    for stored in set(sister.files) | set(neighbours.files):
        assert not any(p.endswith(stored.rsplit("/", 1)[-1]) for p in names)
    assert '<img src="files/' in archive.read("summary.html").decode()


def test_secrets_stay_out_of_the_download(client, ouder, kind):
    record_consent(kind, ouder, {"photo_consent": True, "group_photo_consent": False})
    archive = download(client, ouder, kind)
    document = json.loads(archive.read("data.json"))
    person = document["records"]["accounts.user"]["rows"][0]
    assert person["email"] == ouder.email
    assert "password" not in person
    assert ouder.password not in archive.read("data.json").decode()
    consents = document["records"]["children.consentchange"]["rows"]
    assert {c["kind"] for c in consents} == {"photo_consent", "group_photo_consent"}


def test_the_summary_is_readable_in_the_parents_language(client, ouder, kind):
    ouder.language = "en"
    ouder.save()
    archive = download(client, ouder, kind)
    summary = archive.read("summary.html").decode()
    assert f"The data of {kind}" in summary
    assert "<html" in summary and "Date of birth" in summary


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_childs_parents_may_download(client, everyone, kind, who):
    client.force_login(everyone[who])
    response = client.get(reverse("children:child_export", args=[kind.pk]))
    assert response.status_code == (200 if who == "ouder" else 404)


def test_anonymous_is_sent_to_login(client, kind):
    response = client.get(reverse("children:child_export", args=[kind.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_a_parent_who_also_works_at_the_centre_gets_nothing_of_the_children_they_care_for(
    client, medewerker, kind, kind_buur
):
    from partnership.models import Observation

    GuardianshipFactory(user=medewerker, child=kind)
    Observation.objects.create(child=kind_buur, author=medewerker, side="centre", theme="playing", text="buurkind")
    Observation.objects.create(child=kind, author=medewerker, side="home", theme="playing", text="eigen kind")
    archive = download(client, medewerker, kind)
    text = archive.read("data.json").decode()
    assert "eigen kind" in text and "buurkind" not in text


def test_answers_of_other_parents_to_an_event_the_parent_created_stay_out(client, ouder, ouder_buur, kind):
    """Rows under the person's rows are followed only where they belong to nobody else."""
    from partnership.models import Event, Rsvp
    from tests.partnership.event_factories import EventFactory

    event = EventFactory(centre=kind.group.centre, created_by=ouder)
    Rsvp.objects.create(event=event, person=ouder_buur, answer=Rsvp._meta.get_field("answer").choices[0][0])
    archive = download(client, ouder, kind)
    labels = exported_rows(archive)
    assert ("partnership.event", event.pk) in labels
    assert not any(label == "partnership.rsvp" for label, _pk in labels)
    assert Event.objects.filter(pk=event.pk).exists()


def test_another_parent_of_the_same_child_gets_the_child_but_not_the_first_parents_own_rows(
    client, ouder, kind, medewerker
):
    other = UserFactory(name="Tweede Ouder")
    GuardianshipFactory(user=other, child=kind)
    from notifications.services import notify

    notify([ouder], lambda: "voor de eerste ouder", "/")
    archive = download(client, other, kind)
    labels = exported_rows(archive)
    assert ("accounts.user", ouder.pk) not in labels
    assert "voor de eerste ouder" not in archive.read("data.json").decode()
    assert not any(label == "partnership.notification" for label, _pk in labels)
