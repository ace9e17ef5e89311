"""Demo data for the privacy pages, called by `seed_demo` (idempotent)."""

from datetime import timedelta

from ..models import AccessLog, Child, ConsentChange
from .services import record_consent


def seed(demo):
    """Photo answers for some children, a few reads in the access log, and a child who left last year."""
    users, children = demo.users, demo.children
    # Anne agrees to photos of Sam on the timeline, not in group messages; Noor's questions are still open.
    if not ConsentChange.objects.filter(child=children["sam"]).exists():
        record_consent(children["sam"], users["ouder"], {"photo_consent": True, "group_photo_consent": False})
    if not ConsentChange.objects.filter(child=children["finn"]).exists():
        record_consent(children["finn"], users["ouder2"], {"photo_consent": True, "group_photo_consent": True})

    # Other parts of the demo log reads too (a handover download, the family's reads): look for our own.
    if not AccessLog.objects.filter(child=children["sam"], user=users["manager"], what="photo").exists():
        AccessLog.objects.bulk_create(
            [
                AccessLog(user=users["medewerker"], child=children["sam"], what="timeline"),
                AccessLog(user=users["medewerker"], child=children["sam"], what="profile"),
                AccessLog(user=users["manager"], child=children["sam"], what="photo"),
                AccessLog(user=users["medewerker"], child=children["noor"], what="profile"),
            ]
        )
    if not AccessLog.objects.filter(child=children["finn"], user=users["medewerker2"], what="timeline").exists():
        AccessLog.objects.create(user=users["medewerker2"], child=children["finn"], what="timeline")

    # Liam left Vlinders fourteen months ago: his data is deleted ten months from now.
    Child.objects.get_or_create(
        first_name="Liam",
        last_name="Hendriks",
        group=demo.groups["Vlinders"],
        defaults={
            "date_of_birth": demo.today - timedelta(days=30 * 52),
            "start_date": demo.today - timedelta(days=30 * 40),
            "end_date": demo.today - timedelta(days=30 * 14),
        },
    )
