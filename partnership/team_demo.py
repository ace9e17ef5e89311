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
