"""The access log: one statement per read, append-only, pruned after its own period; who may read it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from children.models import AccessLog, AppendOnlyError
from children.privacy.access import record_access, record_access_many
from children.tasks import prune_access_log
from tests.factories import ChildFactory, UserFactory
from tests.people import PEOPLE


def reading(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def age_entries(days):
    """Move every entry back in time: the ORM refuses to change entries, so this goes around it on purpose."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE children_accesslog SET at = at - %s", [timedelta(days=days)])


def test_a_professional_read_is_logged_in_one_query(medewerker, kind, ouder, django_assert_num_queries):
    with django_assert_num_queries(1):
        record_access(reading(medewerker), kind, "profile")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.child, entry.what) == (medewerker, kind, "profile")


def test_a_parent_reading_their_own_child_is_not_logged(ouder, kind, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        record_access(reading(ouder), kind, "timeline")
    assert not AccessLog.objects.exists()


def test_known_guardians_cost_no_query(ouder, kind, django_assert_num_queries):
    kind._guardian_ids = {ouder.pk}
    with django_assert_num_queries(0):
        record_access(reading(ouder), kind, "timeline")


def test_a_staff_member_who_is_also_the_parent_is_not_logged(medewerker, kind):
    from tests.factories import GuardianshipFactory

    GuardianshipFactory(user=medewerker, child=kind)
    record_access(reading(medewerker), kind, "profile")
    assert not AccessLog.objects.exists()


def test_the_same_read_repeated_shortly_counts_once_but_other_reads_count(medewerker, manager, kind):
    for _ in range(3):
        record_access(reading(medewerker), kind, "photo")
    record_access(reading(medewerker), kind, "profile")
    record_access(reading(manager), kind, "photo")
    assert AccessLog.objects.count() == 3
    age_entries(1)
    record_access(reading(medewerker), kind, "photo")
    assert AccessLog.objects.count() == 4


def test_many_children_are_logged_in_one_query(medewerker, kind, kind_buur, ouder, django_assert_num_queries):
    with django_assert_num_queries(1):
        record_access_many(reading(medewerker), [kind, kind_buur], "overview")
    assert set(AccessLog.objects.values_list("child", flat=True)) == {kind.pk, kind_buur.pk}


def test_anonymous_reads_are_not_logged(kind, django_assert_num_queries):
    with django_assert_num_queries(0):
        record_access(reading(AnonymousUser()), kind, "profile")


def test_the_log_is_append_only(medewerker, kind):
    record_access(reading(medewerker), kind, "profile")
    entry = AccessLog.objects.get()
    entry.what = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(child=kind).update(what="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().what == "profile"


def test_removing_the_reader_keeps_the_entry_and_removing_the_child_takes_it_along(medewerker, kind):
    record_access(reading(medewerker), kind, "profile")
    medewerker.delete()
    assert AccessLog.objects.get().user is None
    kind.delete()
    assert not AccessLog.objects.exists()


def test_pruning_drops_only_entries_past_the_logs_retention(medewerker, kind, settings):
    record_access(reading(medewerker), kind, "profile")
    age_entries(400)
    record_access(reading(medewerker), kind, "timeline")
    assert prune_access_log.delay().get() == 1
    assert list(AccessLog.objects.values_list("what", flat=True)) == ["timeline"]


def test_the_admin_shows_the_log_read_only(client, medewerker, kind):
    admin = UserFactory(is_staff=True, is_superuser=True)
    record_access(reading(medewerker), kind, "profile")
    entry = AccessLog.objects.get()
    client.force_login(admin)
    assert client.get(reverse("admin:children_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:children_accesslog_add")).status_code == 403
    assert client.get(reverse("admin:children_accesslog_delete", args=[entry.pk])).status_code == 403
    response = client.post(reverse("admin:children_accesslog_change", args=[entry.pk]), {"what": "changed"})
    assert response.status_code == 403
    assert AccessLog.objects.get().what == "profile"


# The pages --------------------------------------------------------------------------------------------------


@pytest.fixture
def logged(medewerker, manager, kind, kind_buur, kind_elders, medewerker_elders):
    record_access(reading(medewerker), kind, "profile")
    record_access(reading(manager), kind_buur, "timeline")
    record_access(reading(medewerker_elders), kind_elders, "photo")


@pytest.mark.parametrize("who", PEOPLE)
def test_centre_log_is_for_its_managers_only(client, request, everyone, centrum, logged, who):
    client.force_login(everyone[who])
    response = client.get(reverse("children:centre_access_log", args=[centrum.pk]))
    if who == "manager":
        assert response.status_code == 200
        page = response.content.decode()
        assert "Fatima Yilmaz" in page and "Joost van Dam" in page
        assert "Lisa de Boer" not in page  # a reader at the other centre
    else:
        assert response.status_code == 404


def test_centre_log_filters_by_child(client, manager, centrum, kind, kind_buur, logged):
    client.force_login(manager)
    response = client.get(reverse("children:centre_access_log", args=[centrum.pk]), {"child": kind.pk})
    entries = list(response.context["page"].object_list)
    assert [e.child for e in entries] == [kind]


@pytest.mark.parametrize("who", PEOPLE)
def test_child_log_is_for_the_childs_parents_only(client, everyone, kind, logged, who):
    client.force_login(everyone[who])
    response = client.get(reverse("children:child_access_log", args=[kind.pk]))
    if who == "ouder":
        assert response.status_code == 200
        page = response.content.decode()
        assert "Fatima Yilmaz" in page
        assert "Joost van Dam" not in page  # read the neighbour's child, not this one
    else:
        assert response.status_code == 404


def test_anonymous_is_sent_to_login_for_both_logs(client, centrum, kind):
    for url in (
        reverse("children:centre_access_log", args=[centrum.pk]),
        reverse("children:child_access_log", args=[kind.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("readers", [2, 30])
def test_log_pages_have_a_fixed_number_of_queries(
    client, manager, ouder, kind, centrum, readers, django_assert_max_num_queries
):
    for _ in range(readers):
        reader = UserFactory()
        record_access(reading(reader), kind, "profile")
        record_access(reading(reader), ChildFactory(group=kind.group), "timeline")
    client.force_login(manager)
    client.get("/")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("children:centre_access_log", args=[centrum.pk]))
    assert response.status_code == 200
    client.force_login(ouder)
    client.get("/")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("children:child_access_log", args=[kind.pk]))
    assert len(response.context["page"].object_list) == readers


def test_log_pages_paginate(client, manager, centrum, kind):
    for _ in range(60):
        record_access(reading(UserFactory()), kind, "profile")
    client.force_login(manager)
    response = client.get(reverse("children:centre_access_log", args=[centrum.pk]), {"page": 2})
    assert len(response.context["page"].object_list) == 10


def test_recent_entries_come_first(client, ouder, medewerker, manager, kind):
    record_access(reading(manager), kind, "profile")
    age_entries(2)
    record_access(reading(medewerker), kind, "photo")
    client.force_login(ouder)
    response = client.get(reverse("children:child_access_log", args=[kind.pk]))
    entries = list(response.context["page"].object_list)
    assert [e.user for e in entries] == [medewerker, manager]
    assert entries[0].at > timezone.now() - timedelta(minutes=1)


@pytest.mark.parametrize("who", ["medewerker", "manager", "ouder"])
def test_a_childs_page_spends_at_most_one_query_on_the_log(client, everyone, kind, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = everyone[who]
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(kind.get_absolute_url())
    assert response.status_code == 200
    on_the_log = [q["sql"] for q in queries.captured_queries if "children_accesslog" in q["sql"]]
    assert len(on_the_log) <= 1
    assert AccessLog.objects.filter(user=user, child=kind).count() == (0 if who == "ouder" else 1)
