"""A manager's journey: the centre page, inviting a parent for a child, the parent joining through the link."""

import re

from django.urls import reverse


def test_manager_invites_a_parent_who_joins(visitor, manager, centrum, kind, mailoutbox):
    joost = visitor("manager").login(manager.email).check("home")
    joost.follow(centrum.get_absolute_url()).check("centre")
    joost.follow(reverse("accounts:invite_parent", args=[kind.pk])).check("invite-parent")
    joost.fill({"name": "Sanne Jansen", "email": "sanne@example.org"}).submit()
    joost.expect_message("success")
    joost.check("invited")

    assert [m.to for m in mailoutbox] == [["sanne@example.org"]]
    link = re.search(r"https?://\S+/account/invitation/\S+/", mailoutbox[0].body).group(0)

    sanne = visitor("invited-parent")
    sanne.goto(link)
    sanne.check("sign-up")
    sanne.fill({"name": "Sanne Jansen", "password1": "appeltaart-op-zondag", "password2": "appeltaart-op-zondag"})
    sanne.submit()
    sanne.check("welcome")
    assert kind.first_name in sanne.text()
    assert kind.guardianships.filter(user__email="sanne@example.org").exists()
