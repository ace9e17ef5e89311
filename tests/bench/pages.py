"""The pages `make bench` measures next to the child page, with enough on them to be real pages.

Everything is placed in the first centre (of group 0, where the bench's large and small child are): events with
answers, centre and child agreements, notifications, group moments with replies, messages to the team, talk
rounds, intake requests and bookings, plus a manager of that centre and a trainer. Made with the test
factories (factory-boy), a few hundred rows: the bulk of the data stays the bulk-loaded observations.
"""

from datetime import timedelta

PER_PAGE = 30  # items per list: more than a page of most lists


def load_page_data(world, large, small):
    """Returns {page name: (user id, path)} for the pages measured against the floor."""
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from children.models import Centre, Child, Group, Membership
    from notifications.models import Notification
    from partnership.models import Side
    from tests.factories import MembershipFactory, UserFactory
    from tests.partnership.event_factories import (
        CentreAgreementFactory,
        ChildAgreementFactory,
        EventFactory,
        RsvpFactory,
    )
    from tests.partnership.talk_factories import TalkRoundFactory, TalkSlotFactory
    from tests.partnership.team_factories import GroupMomentFactory, MomentReplyFactory, TeamMessageFactory
    from tests.trainings.factories import BookingFactory, IntakeRequestFactory, OfferingFactory

    group = Group.objects.get(pk=world["groups"][0])
    centre = Centre.objects.get(pk=group.centre_id)
    large_child = Child.objects.get(pk=large)
    staff = User.objects.get(pk=world["staff"][0])
    parent = User.objects.get(guardianships__child=large_child)
    classmates = list(Child.objects.filter(group=group).order_by("pk")[:PER_PAGE])
    classmate_parents = list(
        User.objects.filter(guardianships__child__in=classmates).exclude(pk=parent.pk).distinct()[:PER_PAGE]
    )
    manager = UserFactory(email="manager@bench.example", name="Bench Manager")
    MembershipFactory(user=manager, centre=centre, role=Membership.Role.MANAGER)
    trainer = UserFactory(email="trainer@bench.example", name="Bench Trainer", is_trainer=True)

    now = timezone.now()
    for n in range(PER_PAGE):
        event = EventFactory(centre=centre, starts_at=now + timedelta(days=2 + n), title=f"Ouderavond {n}")
        for person in [parent, *classmate_parents[:5]]:
            RsvpFactory(event=event, person=person)
        CentreAgreementFactory(centre=centre)
        Notification.objects.create(recipient=parent, message=f"Nieuw op de tijdlijn ({n})", url=f"/children/{large}/")
        moment = GroupMomentFactory(group=group, author=staff, children=classmates[:10], happened_on=now.date())
        MomentReplyFactory(moment=moment, child=large_child, author=parent, side=Side.HOME)
        TeamMessageFactory(child=classmates[n % len(classmates)], author=parent, side=Side.HOME)
    for _round in range(5):
        ChildAgreementFactory(child=large_child, proposed_by=staff, proposed_side=Side.CENTRE)
        talk_round = TalkRoundFactory(group=group, created_by=staff, children=classmates)
        for k in range(6):
            TalkSlotFactory(round=talk_round, child=classmates[k] if k % 2 else None)
    offering = OfferingFactory()
    for n in range(PER_PAGE):
        IntakeRequestFactory(interest=offering, submission_key=f"bench-{n}")
        BookingFactory(centre=centre, offering=offering)
    event = EventFactory(centre=centre, starts_at=now + timedelta(days=1), title="Koffieochtend")
    for person in classmate_parents:
        RsvpFactory(event=event, person=person)

    return {
        "child_large": (staff.pk, f"/children/{large}/"),
        "child_small": (staff.pk, f"/children/{small}/"),
        "home_parent": (parent.pk, reverse("home")),
        "home_staff": (staff.pk, reverse("home")),
        "group_overview": (staff.pk, reverse("partnership:group_overview")),
        "events": (parent.pk, reverse("partnership:event_list")),
        "event": (parent.pk, event.get_absolute_url()),
        "agreements": (parent.pk, reverse("partnership:agreement_overview")),
        "notifications": (parent.pk, reverse("notifications:notification_list")),
        "intake_desk": (trainer.pk, reverse("trainings:intake_list")),
        "bookings": (manager.pk, reverse("trainings:booking_list")),
        "talks": (staff.pk, reverse("partnership:talk_round_list")),
        "group_moments": (staff.pk, reverse("partnership:moment_list")),
        "messages": (staff.pk, reverse("partnership:message_inbox")),
    }
