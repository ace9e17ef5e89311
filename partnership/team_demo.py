"""Demo data for absences, messages to the team and group moments, called by `partnership.demo.seed`.

Idempotent: every row is found again by a fixed submission token.
"""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone


def token(key):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"samenspel-demo/team/{key}")


def at(today, days_ago, hour, minute=0):
    return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, minute)))


def seed(demo):
    seed_absences(demo)
    seed_messages(demo)
    seed_moments(demo)
    seed_family(demo)


def seed_absences(demo):
    from .models import Absence, Side, TeamSettings

    users, children, today = demo.users, demo.children, demo.today
    anne, fatima, peter = users["ouder"], users["medewerker"], users["ouder2"]
    boomgaard = demo.centres[0]
    TeamSettings.objects.get_or_create(centre=boomgaard)

    def absence(key, child, author, side, first, last, reason, note, hour, late=False):
        row, created = Absence.objects.get_or_create(
            submission_token=token(key),
            defaults={
                "child": child,
                "author": author,
                "side": side,
                "first_day": today + timedelta(days=first),
                "last_day": today + timedelta(days=last),
                "reason": reason,
                "note": note,
                "is_late": late,
            },
        )
        if created:
            Absence.objects.filter(pk=row.pk).update(created_at=at(today, -first if first < 0 else 0, hour, 10))
        return row

    ill, away = Absence.Reason.ILL, Absence.Reason.ABSENT
    absence("sam-ill", children["sam"], anne, Side.HOME, 0, 1, ill, "Koorts sinds vannacht, we blijven thuis.", 7)
    absence("sam-earlier", children["sam"], anne, Side.HOME, -20, -19, ill, "Buikgriep.", 9, late=True)
    absence("mila-tomorrow", children["mila"], fatima, Side.CENTRE, 1, 1, away, "Opa en oma op bezoek.", 16)
    absence("finn-holiday", children["finn"], peter, Side.HOME, 5, 9, away, "Een week naar de Veluwe.", 20)


def seed_messages(demo):
    from .models import MessageNotice, Side, TeamMessage

    users, children, today = demo.users, demo.children, demo.today
    anne, fatima, peter = users["ouder"], users["medewerker"], users["ouder2"]

    def message(key, child, author, side, days_ago, hour, minute, text, read_by=None, read_minutes_later=None):
        row, created = TeamMessage.objects.get_or_create(
            submission_token=token(key),
            defaults={"child": child, "author": author, "side": side, "text": text},
        )
        if created:
            written = at(today, days_ago, hour, minute)
            changes = {"created_at": written}
            if read_by is not None:
                changes.update(read_by=read_by, read_at=written + timedelta(minutes=read_minutes_later))
            TeamMessage.objects.filter(pk=row.pk).update(**changes)
        return row

    sam, finn = children["sam"], children["finn"]
    question = message(
        "sam-question",
        sam,
        anne,
        Side.HOME,
        1,
        22,
        0,
        "Sam is sinds een paar dagen bang om alleen te gaan slapen. Merken jullie dat ook bij het middagslaapje?",
        read_by=fatima,
        read_minutes_later=10 * 60 + 2,
    )
    MessageNotice.objects.get_or_create(
        message=question, defaults={"due_at": at(today, 0, 8), "sent_at": at(today, 0, 8)}
    )
    message(
        "sam-answer",
        sam,
        fatima,
        Side.CENTRE,
        0,
        8,
        15,
        "Goed dat je het laat weten! Hij viel gisteren pas in slaap toen ik naast hem bleef zitten. "
        "Zullen we bij het halen even afstemmen wat jullie thuis doen?",
    )
    message(
        "finn-question",
        finn,
        peter,
        Side.HOME,
        0,
        7,
        45,
        "Finn mag vandaag zijn nieuwe laarzen aanhouden, hij is er zo trots op.",
    )


def _demo_jpeg(color, size=(640, 480)):
    """A plain picture for the demo: a coloured field with a lighter band, written by Pillow (no metadata)."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    lighter = tuple(min(255, c + 60) for c in color)
    draw.rectangle([0, size[1] * 2 // 3, size[0], size[1]], fill=lighter)
    draw.ellipse([size[0] // 3, size[1] // 5, size[0] // 3 + 160, size[1] // 5 + 160], fill=(250, 220, 120))
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def seed_moments(demo):
    from children.photos import random_photo_name

    from .models import GroupMoment, MomentPhoto, MomentReply, Side, Theme
    from .models.prompts import Prompt

    users, children, groups, today = demo.users, demo.children, demo.groups, demo.today
    anne, fatima, lisa = users["ouder"], users["medewerker"], users["medewerker2"]

    def moment(key, group, author, theme, days_ago, text, kids, photos):
        row, created = GroupMoment.objects.get_or_create(
            submission_token=token(key),
            defaults={
                "group": group,
                "author": author,
                "theme": theme,
                "happened_on": today - timedelta(days=days_ago),
                "text": text,
                "for_whole_group": kids is None,
            },
        )
        if not created:
            return row
        GroupMoment.objects.filter(pk=row.pk).update(created_at=at(today, days_ago, 15, 30))
        row.children.set(kids if kids is not None else group.children.current())
        for color, marked in photos:
            photo = MomentPhoto(moment=row, marked_at=at(today, days_ago, 15, 35), width=640, height=480)
            photo.image.save(random_photo_name(), _demo_jpeg(color), save=False)
            photo.thumbnail.save(random_photo_name(), _demo_jpeg(color, (240, 180)), save=False)
            photo.save()
            photo.children.set(marked)
        return row

    sam, mila, finn = children["sam"], children["mila"], children["finn"]
    hut = moment(
        "dolfijnen-hut",
        groups["Dolfijnen"],
        fatima,
        Theme.PLAYING,
        1,
        "Vandaag bouwden we met z'n allen een hut van verhuisdozen. Er werd overlegd wie de deur mocht maken "
        "en wie het dak, en daarna was het heel stil: iedereen wilde erin voorlezen.",
        None,
        [((90, 140, 200), []), ((200, 120, 80), [sam, mila]), ((120, 170, 90), [mila])],
    )
    MomentReply.objects.get_or_create(
        submission_token=token("dolfijnen-hut-anne"),
        defaults={
            "moment": hut,
            "child": sam,
            "author": anne,
            "side": Side.HOME,
            "text": "Thuis wilde Sam gisteravond ook meteen een hut bouwen, van de bankkussens!",
            "prompt": Prompt.TOLD_AT_HOME,
        },
    )
    moment(
        "egeltjes-herfst",
        groups["Egeltjes"],
        lisa,
        Theme.MOVING,
        2,
        "Herfstwandeling naar het park: kastanjes zoeken, door de bladeren stampen en eendjes voeren.",
        [finn, children["lotte"]],
        [((160, 110, 50), [finn])],
    )


def seed_family(demo):
    """Sam's grandmother follows Sam: she reads along and once replied to the group's hut."""
    from accounts.demo import demo_user
    from accounts.models import Invitation
    from children.family import grant_family_access

    from .models import GroupMoment, MomentReply, Side

    oma = demo_user("oma@example.org", "Els de Vries")
    sam = demo.children["sam"]
    grant_family_access(sam, oma, invited_by=demo.users["ouder"])
    # Grandfather has not accepted yet: the parents see the invitation waiting and can withdraw it.
    Invitation.objects.get_or_create(
        email="opa@example.org",
        role=Invitation.Role.FAMILY,
        child=sam,
        defaults={"name": "Kees de Vries", "centre": sam.group.centre, "invited_by": demo.users["ouder"]},
    )
    hut = GroupMoment.objects.filter(submission_token=token("dolfijnen-hut")).first()
    if hut is not None:
        MomentReply.objects.get_or_create(
            submission_token=token("dolfijnen-hut-oma"),
            defaults={
                "moment": hut,
                "child": sam,
                "author": oma,
                "side": Side.HOME,
                "text": "Wat een mooie hut! Bij oma bouwen we volgende week een nieuwe.",
            },
        )
