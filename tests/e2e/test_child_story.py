"""Looking at the child together: a parent logs a home observation with a photo, staff answer with a tip,
the parent tries it and says it worked, and both see it on the child's timeline."""

from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from partnership.models import Observation


def photo_file(tmp_path):
    """A child's drawing: sky, sun, grass and a house."""
    path = tmp_path / "tekening.jpg"
    image = Image.new("RGB", (640, 480), (150, 200, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 340, 640, 480), fill=(110, 180, 90))
    draw.ellipse((480, 40, 580, 140), fill=(250, 210, 60))
    draw.rectangle((160, 220, 360, 360), fill=(200, 90, 70))
    draw.polygon([(140, 220), (260, 130), (380, 220)], fill=(120, 70, 60))
    draw.rectangle((235, 280, 285, 360), fill=(90, 60, 40))
    image.save(path, format="JPEG", quality=85)
    return str(path)


def test_parent_and_staff_look_at_the_child_together(visitor, ouder, medewerker, kind, tmp_path):
    kind.photo_consent = True
    kind.save()
    timeline = kind.get_absolute_url()

    # The parent reads the timeline and logs what happened at home, with a photo.
    anne = visitor("parent").login(ouder.email).check("home")
    anne.follow(timeline).check("timeline-empty")
    anne.follow(reverse("partnership:observation_create", args=[kind.pk])).check("new-observation")
    # The date is prefilled with today and left as it is, as a parent would.
    date_input = anne.page.locator('main form [name="observed_on"]')
    assert date_input.input_value() == timezone.localdate().isoformat(), "the browser shows no date"
    anne.fill(
        {
            "theme": "sleeping",
            "text": f"{kind.first_name} sliep vannacht voor het eerst zonder speen door.",
            "photos": photo_file(tmp_path),
        }
    ).submit()
    anne.expect_message("success")
    observation = Observation.objects.get(child=kind)
    assert observation.observed_on == timezone.localdate()
    assert observation.photos.count() == 1
    card = f"#observation-{observation.pk}"
    photo = anne.page.locator(f"{card} img.observation-photo")
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), "the photo does not load"
    anne.check("observation-saved")

    # Staff find the child on their overview and answer with a tip.
    fatima = visitor("staff").login(medewerker.email).check("home")
    fatima.follow(reverse("partnership:group_overview")).check("group-overview")
    fatima.follow(timeline)
    fatima.page.locator(f"{card} details.reply-box summary").click()
    fatima.fill(
        {
            f"reply-{observation.pk}-text": "Heb je al eens een vaste knuffel bij het slapengaan geprobeerd?",
            f"reply-{observation.pk}-is_tip": True,
        },
        form=f"{card} form[action$='/replies/']",
    )
    fatima.swap(f"{card} form[action$='/replies/']", wait_for=f"{card} li[data-tip='1']")
    fatima.check("tip-sent")

    # The parent's home shows what is new first: the group's tip, waiting for "did it work?".
    anne.follow("/")
    assert anne.page.locator("#home-feed .feed-tip").count() >= 1
    anne.check("home-news")
    anne.page.go_back()

    # The parent tries the tip and tells how it went.
    anne.reload()
    anne.follow(reverse("partnership:tip_outcome", args=[observation.replies.get().pk]), prefix=True)
    anne.check("tip-outcome")
    anne.fill({"result": "worked", "comment": "Met zijn konijn viel hij binnen tien minuten in slaap."}).submit()
    anne.expect_message("success")
    assert anne.page.locator(f"{card} [data-result='worked']").is_visible()
    anne.check("tip-worked")

    # Staff see the outcome on the same timeline.
    fatima.reload()
    assert fatima.page.locator(f"{card} [data-result='worked']").is_visible()
    fatima.check("tip-outcome-seen")
