"""Demo data for mentors, talks and the handover to school, called by `partnership.demo.seed`. Idempotent."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from children.models import Child


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed(demo):
    from .models import ChildAgreement, Handover, TalkReminder, TalkReport, TalkRound, TalkSlot
    from .models.talks import plan_slots

    users, children, today = demo.users, demo.children, demo.today
    anne, fatima, lisa = users["ouder"], users["medewerker"], users["medewerker2"]
    dolfijnen, egeltjes = demo.groups["Dolfijnen"], demo.groups["Egeltjes"]

    # Mentors: Fatima for the Dolfijnen, Lisa for the Egeltjes; the Vlinders have no staff yet, so Noor and
    # Yara show up as children who need a mentor.
    Child.objects.filter(group=dolfijnen, mentor__isnull=True).update(mentor=fatima)
    Child.objects.filter(group=egeltjes, mentor__isnull=True).update(mentor=lisa)

    # A round next week with Sam's talk booked and the other times free.
    next_week = today + timedelta(days=7)
    talk_round, created = TalkRound.objects.get_or_create(
        centre=dolfijnen.centre,
        group=dolfijnen,
        title="Mentorgesprekken Dolfijnen",
        defaults={
            "created_by": fatima,
            "place": "Kantoor naast de Dolfijnen",
            "slot_minutes": 15,
            "booking_deadline": at(next_week - timedelta(days=2), 17),
        },
    )
    if created:
        talk_round.children.set(Child.objects.current().filter(group=dolfijnen))
        TalkSlot.objects.bulk_create(
            TalkSlot(round=talk_round, starts_at=s, ends_at=e)
            for s, e in plan_slots([next_week], time(14, 0), time(16, 0), 15, time(15, 0), time(15, 15))
        )
        first = talk_round.slots.order_by("starts_at").first()
        TalkSlot.objects.filter(pk=first.pk).update(child=children["sam"], booked_by=anne, booked_at=timezone.now())
        for person in (anne, fatima):
            TalkReminder.objects.get_or_create(
                round=talk_round,
                slot=first,
                person=person,
                kind=TalkReminder.Kind.BEFORE,
                defaults={"due_at": first.starts_at - timedelta(hours=24)},
            )

    # Last season's talk about Sam, with its report and the agreement made in it.
    earlier = today - timedelta(days=60)
    past_round, created = TalkRound.objects.get_or_create(
        centre=dolfijnen.centre,
        group=dolfijnen,
        title="Wengesprekken Dolfijnen",
        defaults={
            "created_by": fatima,
            "place": "Kantoor naast de Dolfijnen",
            "slot_minutes": 15,
            "booking_deadline": at(earlier - timedelta(days=3), 17),
        },
    )
    if created:
        past_round.children.set([children["sam"]])
        TalkSlot.objects.create(
            round=past_round,
            starts_at=at(earlier, 15),
            ends_at=at(earlier, 15, 15),
            child=children["sam"],
            booked_by=anne,
            booked_at=at(earlier - timedelta(days=5), 20),
        )
        report = TalkReport.objects.create(
            round=past_round,
            child=children["sam"],
            written_by=fatima,
            published_at=at(earlier, 17),
            text=(
                "We hebben het gehad over het wennen en het slapen. Sam went goed: hij zwaait nu zelf bij het "
                "afscheid en speelt graag in de bouwhoek. Slapen gaat beter met zijn knuffel erbij."
            ),
        )
        ChildAgreement.objects.create(
            child=children["sam"],
            topic=ChildAgreement.Topic.SLEEPING,
            title="Knuffel mee naar bed",
            text="Sam neemt zijn knuffelkonijn mee in de slaapzak, thuis en op de groep.",
            status=ChildAgreement.Status.ACCEPTED,
            proposed_side=ChildAgreement.Side.CENTRE,
            proposed_by=fatima,
            accepted_by=anne,
            accepted_at=at(earlier, 20),
            talk=report,
        )

    # A handover waiting for the parents' consent.
    Handover.objects.get_or_create(
        child=children["sam"],
        defaults={
            "mentor": fatima,
            "status": Handover.Status.AWAITING,
            "themes": {
                "language": "Vertelt in korte zinnen over thuis en zingt de liedjes van de groep mee.",
                "playing": "Bouwt graag hoge torens en speelt het liefst met Mila.",
                "moving": "Klimt en fietst vol vertrouwen.",
            },
            "wellbeing": "Sam voelt zich thuis op de groep en zoekt troost bij de vaste leidsters.",
            "what_helps": "Een vast afscheidsritueel en vooraf vertellen wat er gaat gebeuren.",
            "agreements_that_work": "De knuffel mag mee bij het slapen.",
        },
    )
