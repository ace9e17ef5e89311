"""Group moments, messages to the team, absence and the wider family, as parents, staff and a grandparent use them."""

import re

from django.urls import reverse

from children.models import Child
from partnership.models import Absence, GroupMoment, MomentPhoto, TeamMessage
from tests.factories import ChildFactory
from tests.partnership.team_factories import not_answering_today

from .test_child_story import photo_file


def test_staff_share_a_group_moment_and_each_parent_sees_only_their_childs_photo(
    visitor, medewerker, ouder, ouder_buur, kind, kind_buur, groep, tmp_path
):
    Child.objects.filter(pk=kind.pk).update(group_photo_consent=True)
    noah = ChildFactory(group=groep, first_name="Noah", group_photo_consent=False)
    second = tmp_path / "tweede"
    second.mkdir()

    fatima = visitor("staff-moment").login(medewerker.email)
    fatima.follow(reverse("partnership:moment_list")).check("moments-empty")
    fatima.follow(reverse("partnership:moment_create", args=[groep.pk])).check("new-moment")
    assert "Noah" in fatima.text(".consent-warning"), "staff are told before uploading"
    fatima.fill(
        {
            "theme": "playing",
            "text": "We bouwden een hut van verhuisdozen.",
            "for_whole_group": False,
            "children": [str(kind.pk), str(noah.pk)],
            "photos": [photo_file(tmp_path), photo_file(second)],
        }
    ).submit()
    fatima.expect_message("success")
    moment = GroupMoment.objects.get()
    first, both = MomentPhoto.objects.filter(moment=moment).order_by("pk")
    fatima.check("mark-photos")
    fatima.fill({f"photo_{first.pk}": [str(kind.pk)], f"photo_{both.pk}": [str(kind.pk), str(noah.pk)]}).submit()
    fatima.expect_message("warning")
    assert "Noah" in fatima.text(".hidden-reason"), "staff are told after uploading"
    fatima.check("moment-shared")

    anne = visitor("parent-moment").login(ouder.email)
    anne.follow(moment.get_absolute_url()).check("moment-parent")
    assert "hut van verhuisdozen" in anne.text()
    photos = anne.page.locator("main [data-photo]")
    assert photos.count() == 1 and photos.first.get_attribute("data-photo") == str(first.pk)
    assert anne.page.locator("main [data-photo] img").first.evaluate("img => img.complete && img.naturalWidth > 0")

    bram = visitor("other-parent").login(ouder_buur.email).check("home-other-parent")
    assert "hut van verhuisdozen" not in bram.text()
    bram.goto(kind_buur.get_absolute_url())
    assert "hut van verhuisdozen" not in bram.text() and not bram.page.locator("[data-photo]").count()
    for photo in (first, both):
        assert bram.page.request.get(reverse("partnership:moment_photo", args=[photo.pk])).status == 404


def test_a_parent_writes_after_hours_and_sees_when_the_team_read_it(visitor, ouder, medewerker, kind):
    not_answering_today(kind.group.centre)
    anne = visitor("parent-message").login(ouder.email)
    anne.goto(kind.get_absolute_url())
    anne.follow(reverse("partnership:child_messages", args=[kind.pk])).check("messages-empty")
    assert "08:00" in anne.text(".answer-hours"), "the parent is told when to expect an answer"
    anne.fill({"text": "Jip heeft vannacht slecht geslapen, wil hij vandaag wat eerder naar bed?"}).submit()
    anne.expect_message("success")
    assert "nog niet gelezen" in anne.text(".read-state")
    anne.check("message-sent")

    fatima = visitor("staff-message").login(medewerker.email)
    fatima.goto(reverse("partnership:message_inbox")).check("inbox")
    fatima.follow(reverse("partnership:child_messages", args=[kind.pk])).check("conversation-staff")
    fatima.fill({"text": "Dank je! We leggen hem na de lunch als eerste neer."}).submit()
    fatima.expect_message("success")

    anne.reload()
    read_at = TeamMessage.objects.get(author=ouder).read_at
    assert read_at is not None
    assert "gelezen door het team" in anne.text(".read-state")
    assert "eerste neer" in anne.text(".message-thread")
    anne.check("message-read")


def test_a_parent_reports_illness_and_staff_see_it_on_the_overview(visitor, ouder, medewerker, kind):
    anne = visitor("parent-absence").login(ouder.email)
    anne.goto(kind.get_absolute_url())
    anne.follow(reverse("partnership:child_absences", args=[kind.pk])).check("absence-form")
    anne.fill({"reason": "ill", "note": "Koorts sinds vannacht"}).submit()
    assert Absence.objects.filter(child=kind).exists()
    anne.check("absence-saved")

    fatima = visitor("staff-absence").login(medewerker.email)
    fatima.goto(reverse("partnership:group_overview")).check("overview-absent")
    today = fatima.page.locator('.absences-soon [data-day="0"]')
    assert kind.first_name in today.inner_text()


def test_a_grandparent_accepts_the_invitation_reads_and_replies_but_cannot_edit_the_profile(
    visitor, ouder, medewerker, kind, mailoutbox
):
    from tests.partnership.factories import ObservationFactory

    observation = ObservationFactory(child=kind, author=medewerker, side="centre", text="Jip zong het hele lied mee.")
    anne = visitor("parent-family").login(ouder.email)
    anne.goto(kind.get_absolute_url())
    anne.follow(reverse("accounts:child_family", args=[kind.pk])).check("family")
    anne.fill({"name": "Oma Riet", "email": "oma@example.org"}).submit()
    anne.expect_message("success")
    link = re.search(r"https?://\S+/invitation/\S+/", mailoutbox[-1].body).group(0)

    oma = visitor("grandparent")
    oma.goto(link)
    oma.check("sign-up")
    oma.fill({"name": "Oma Riet", "password1": "appeltaart-op-zondag", "password2": "appeltaart-op-zondag"}).submit()
    oma.check("welcome")
    oma.follow(kind.get_absolute_url()).check("timeline-family")
    assert "hele lied" in oma.text()
    card = f"#observation-{observation.pk}"
    oma.page.locator(f"{card} details.reply-box summary").click()
    oma.fill({f"reply-{observation.pk}-text": "Dat zingt hij bij oma ook!"}, form=f"{card} form[action$='/replies/']")
    oma.swap(f"{card} form[action$='/replies/']", wait_for=f"{card} li[data-side='home']")
    oma.check("replied")
    response = oma.page.goto(reverse("children:child_profile_edit", args=[kind.pk]))
    assert response.status == 404
    oma.problems.clear()

    anne.reload()
    assert "Oma Riet" in anne.text(".family-members")
