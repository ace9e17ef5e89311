"""Retention: after a child's last day plus the centre's period, its data and photos are gone, without orphans."""

import os
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from children.models import Child, Guardianship, RetentionNotice
from children.privacy.family_data import data_models, foreign_keys, is_historical
from children.privacy.services import add_months, deletion_date
from children.tasks import apply_retention
from tests.factories import ChildFactory, GuardianshipFactory
from tests.people import PEOPLE

from .family_builder import Family, fill, jpeg_bytes


def files_on_disk(root):
    return {
        os.path.relpath(os.path.join(folder, name), root) for folder, _dirs, names in os.walk(root) for name in names
    }


def run_retention(capture):
    with capture(execute=True):
        return apply_retention.delay().get()


def leave(child, days_ago, centre_months=24, told=True):
    """The child left so long ago that its data was due `days_ago` days ago; the parents were told in time."""
    child.end_date = add_months(timezone.localdate(), -centre_months) - timedelta(days=days_ago)
    child.save()
    if told:
        RetentionNotice.objects.create(child=child, delete_on=deletion_date(child))


def orphans():
    """Rows whose foreign key (also the unchecked ones of history tables) points at a row that is gone."""
    found = []
    for model in data_models():
        for field in foreign_keys(model):
            target = field.related_model
            dangling = (
                model._base_manager.filter(**{f"{field.attname}__isnull": False})
                .exclude(**{f"{field.attname}__in": target._base_manager.values("pk")})
                .count()
            )
            if dangling:
                found.append(f"{model._meta.label}.{field.name}: {dangling}")
        if is_historical(model) and model.instance_type is Child:
            gone = model._base_manager.exclude(id__in=Child.objects.values("pk")).count()
            if gone:
                found.append(f"{model._meta.label}: {gone} of deleted children")
    return found


def test_a_childs_data_and_photos_are_deleted_after_the_period_leaving_no_orphans_or_files(
    ouder, kind, ouder_buur, kind_buur, private_media, django_capture_on_commit_callbacks
):
    kind.photo.save("sam.jpg", ContentFile(jpeg_bytes()))
    kind_buur.photo.save("mila.jpg", ContentFile(jpeg_bytes()))
    kind.photo.save("sam-new.jpg", ContentFile(jpeg_bytes((1, 2, 3))))  # the old one lives on in the history
    mine = fill(Family("sam", kind, ouder))
    neighbours = fill(Family("buur", kind_buur, ouder_buur))
    assert len(files_on_disk(private_media)) >= 5
    neighbour_files = {n for n in files_on_disk(private_media) if "buur" in n or "mila" in n}
    before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in data_models()}
    # A row is about the child when one of its paths leads to it; a nullable path left empty (a parent's
    # nudge to book a talk, not tied to a slot) makes the row the parent's, which stays.
    about_child = {model: _rows_leading_to(model, pks, kind) for model, pks in mine.rows.items()}

    leave(kind, days_ago=1)
    assert run_retention(django_capture_on_commit_callbacks) == 1

    assert not Child.objects.filter(pk=kind.pk).exists()
    assert orphans() == []
    # Every row that was about the child, at any depth, is gone; the neighbours' rows all remain.
    for model, pks in about_child.items():
        assert not model._base_manager.filter(pk__in=pks).exists(), model
    for model, pks in neighbours.rows.items():
        assert model._base_manager.filter(pk__in=pks).count() == len(pks), model
    # No file of the child left on disk, no file that no row refers to; the neighbours' files are untouched.
    left = files_on_disk(private_media)
    assert not any("sam" in name for name in left)
    assert left <= _files_of_remaining_rows()
    assert neighbour_files <= left
    # The people stay: the parent here still works at the centre (the builder made them a member).
    assert set(get_user_model().objects.values_list("pk", flat=True)) == before[get_user_model()]


def _paths(model):
    from children.privacy.family_data import child_paths

    return child_paths(model)


def _rows_leading_to(model, pks, child):
    condition = Q(pk__in=[])
    for path in _paths(model):
        if path.startswith("child") or "__child" in path:
            condition |= Q(**{path: child.pk})
    return set(model._base_manager.filter(condition, pk__in=pks).values_list("pk", flat=True))


def _files_of_remaining_rows():
    from children.privacy.family_data import file_fields

    names = set()
    for model in data_models():
        fields = file_fields(model)
        if fields:
            for values in model._base_manager.values_list(*fields):
                names.update(v for v in values if v)
    return names


def test_nothing_is_deleted_before_the_period_is_over_or_without_a_last_day(
    kind, kind_buur, centrum, groep, django_capture_on_commit_callbacks
):
    centrum.retention_months = 6
    centrum.save()
    leave(kind, days_ago=-1, centre_months=6)  # due tomorrow
    assert run_retention(django_capture_on_commit_callbacks) == 0
    assert Child.objects.filter(pk__in=[kind.pk, kind_buur.pk]).count() == 2
    due_today = ChildFactory(group=groep)
    leave(due_today, days_ago=0, centre_months=6)
    assert run_retention(django_capture_on_commit_callbacks) == 1
    assert set(Child.objects.all()) == {kind, kind_buur}


def test_parents_are_warned_once_ahead_with_the_download_link(
    ouder, kind, ouder_buur, kind_buur, mailoutbox, django_capture_on_commit_callbacks
):
    from partnership.models import Observation

    Observation.objects.create(child=kind, author=ouder, side="home", theme="sleeping", text="geheim dagboek")
    second_parent = GuardianshipFactory(child=kind).user
    in_a_month = timezone.localdate() + timedelta(days=30)
    kind.end_date = add_months(in_a_month, -24)
    kind.save()
    run_retention(django_capture_on_commit_callbacks)
    run_retention(django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ouder.email, second_parent.email])
    body = mailoutbox[0].body
    assert reverse("children:child_export", args=[kind.pk]) in body
    assert "geheim dagboek" not in body
    assert RetentionNotice.objects.get().delete_on == deletion_date(kind) == in_a_month
    assert Child.objects.filter(pk=kind.pk).exists()

    # A last day moved earlier after the notice: the date the parents were told still holds.
    kind.end_date -= timedelta(days=10)
    kind.save()
    run_retention(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2 and Child.objects.filter(pk=kind.pk).exists()


def test_a_last_day_entered_late_still_gives_the_parents_the_full_warning(
    ouder, kind, mailoutbox, django_capture_on_commit_callbacks
):
    leave(kind, days_ago=100, told=False)
    assert run_retention(django_capture_on_commit_callbacks) == 0
    notice = RetentionNotice.objects.get()
    assert notice.delete_on == timezone.localdate() + timedelta(days=30)
    assert [m.to for m in mailoutbox] == [[ouder.email]]
    assert notice.delete_on.strftime("%Y") in mailoutbox[0].subject
    assert Child.objects.filter(pk=kind.pk).exists()


def test_a_parent_left_without_children_has_their_account_closed(
    ouder, kind, ouder_buur, kind_buur, django_capture_on_commit_callbacks
):
    sibling = ChildFactory(group=kind.group)
    two_children = GuardianshipFactory(child=kind).user
    GuardianshipFactory(user=two_children, child=sibling)
    leave(kind, days_ago=0)
    run_retention(django_capture_on_commit_callbacks)
    ouder.refresh_from_db()
    two_children.refresh_from_db()
    assert not ouder.is_active and ouder.email.endswith(".invalid")
    assert two_children.is_active and Guardianship.objects.filter(user=two_children).count() == 1


def test_add_months_clips_to_the_end_of_the_month():
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), -24) == date(2022, 2, 28)
    assert add_months(date(2024, 1, 15), 24) == date(2026, 1, 15)


# The manager's pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PEOPLE)
def test_centre_privacy_page_is_for_its_managers_only(client, everyone, centrum, who):
    client.force_login(everyone[who])
    response = client.get(reverse("children:centre_privacy", args=[centrum.pk]))
    assert response.status_code == (200 if who == "manager" else 404)


def test_manager_sets_the_retention_period(client, manager, centrum):
    client.force_login(manager)
    response = client.post(reverse("children:centre_privacy", args=[centrum.pk]), {"retention_months": "36"})
    assert response.status_code == 302
    centrum.refresh_from_db()
    assert centrum.retention_months == 36
    response = client.post(reverse("children:centre_privacy", args=[centrum.pk]), {"retention_months": "0"})
    assert response.status_code == 200 and response.context["form"].errors
    centrum.refresh_from_db()
    assert centrum.retention_months == 36


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_childs_managers_set_its_last_day(client, everyone, kind, who):
    client.force_login(everyone[who])
    response = client.post(reverse("children:child_leaving", args=[kind.pk]), {"end_date": "2030-07-31"})
    kind.refresh_from_db()
    if who == "manager":
        assert response.status_code == 302
        assert kind.end_date == date(2030, 7, 31)
    else:
        assert response.status_code == 404
        assert kind.end_date is None


def test_a_last_day_before_the_start_is_refused(client, manager, kind):
    kind.start_date = date(2025, 1, 6)
    kind.save()
    client.force_login(manager)
    response = client.post(reverse("children:child_leaving", args=[kind.pk]), {"end_date": "2024-12-31"})
    assert response.status_code == 200 and response.context["form"].errors["end_date"]


@pytest.mark.parametrize("leavers", [1, 12])
def test_centre_privacy_page_lists_leavers_in_fixed_queries(
    client, manager, centrum, groep, leavers, django_assert_max_num_queries
):
    for n in range(leavers):
        ChildFactory(group=groep, end_date=date(2025, 7, 1) + timedelta(days=n))
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("children:centre_privacy", args=[centrum.pk]))
    assert len(response.context["leavers"]) == leavers
    assert response.context["leavers"][0][1] == date(2027, 7, 1)
