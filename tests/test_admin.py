"""The Django admin works for every registered model, for superusers only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_add_page_render(client, superuser, model):
    client.force_login(superuser)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    if admin.site._registry[model].has_add_permission(changelist.wsgi_request):
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_admin_is_closed_to_non_staff(client, ouder):
    client.force_login(ouder)
    assert client.get(reverse("admin:index")).status_code in (302, 403)
