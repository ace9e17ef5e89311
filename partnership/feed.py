"""What the home page shows of this app, in a fixed number of queries whatever the amount of data.

For a parent: what is new from the group across their children (observations and replies from the centre,
tips waiting for "did it work?", agreements waiting for their acceptance, events waiting for an answer), newest
first. For staff and managers: the events of today and the coming week of their centres, and the agreements
of their children that are due for review.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from children.models import Child

from .models import ChildAgreement, Event, Observation, ObservationPhoto, Reply, Rsvp, Side, TipOutcome

FEED_PAGE_SIZE = 15
FEED_MAX_PAGES = 20
REVIEW_HORIZON = timedelta(days=7)


@dataclass
class FeedItem:
    """One line of the parent's home: what happened, about which child, and where to go for it."""

    kind: str  # observation, reply, tip, agreement, event
    at: datetime
    obj: object
    url: str
    child: Child | None = None
    thumbnail_url: str = ""
    is_new: bool = False


@dataclass
class FeedPage:
    items: list
    number: int
    has_next: bool
    has_previous: bool

    @property
    def next_page_number(self):
        return self.number + 1

    @property
    def previous_page_number(self):
        return self.number - 1


def parent_feed(user, since=None, page=1, per_page=FEED_PAGE_SIZE):
    """The parent's news across their own children, newest first, one page of `per_page` items.

    Each source is read once, limited to what the requested page can need, so the page costs the same
    number of queries however many children, observations or events there are. Items later than `since`
    (the previous visit) are marked new.
    """
    try:
        page = max(1, min(int(page), FEED_MAX_PAGES))
    except (TypeError, ValueError):
        page = 1
    limit = page * per_page + 1
    own = Child.objects.visible_to(user).filter(guardianships__user=user).values("pk")
    now = timezone.now()
    items = []

    # Only photos that may be shown: processed, and the parents consent (checked again per child below).
    photos = Prefetch("photos", queryset=ObservationPhoto.objects.shown().order_by("pk"), to_attr="photo_list")
    observations = (
        Observation.objects.visible_to(user)
        .alive()
        .filter(child__in=own, side=Side.CENTRE)
        .select_related("child", "author")
        .prefetch_related(photos)
        .order_by("-created_at", "-pk")[:limit]
    )
    for observation in observations:
        thumbnail = ""
        if observation.child.allows_timeline_photos and observation.photo_list:
            thumbnail = observation.photo_list[0].get_thumbnail_url()
        items.append(
            FeedItem(
                "observation",
                observation.created_at,
                observation,
                observation.get_absolute_url(),
                observation.child,
                thumbnail,
            )
        )

    from .models.moments import GroupMoment, MomentPhoto

    own_photos = MomentPhoto.objects.shown_to_family(own).order_by("pk")
    moments = (
        GroupMoment.objects.visible_to(user)
        .alive()
        .filter(pk__in=GroupMoment.children.through.objects.filter(child__in=own).values("groupmoment"))
        .select_related("group", "author")
        .prefetch_related(Prefetch("photos", queryset=own_photos, to_attr="photo_list"))
        .order_by("-created_at", "-pk")[:limit]
    )
    for moment in moments:
        thumbnail = moment.photo_list[0].get_thumbnail_url() if moment.photo_list else ""
        items.append(FeedItem("moment", moment.created_at, moment, moment.get_absolute_url(), None, thumbnail))

    replies = (
        Reply.objects.visible_to(user)
        .alive()
        .filter(observation__child__in=own, observation__deleted_at__isnull=True, side=Side.CENTRE)
        .annotate(tried=Exists(TipOutcome.objects.filter(tip=OuterRef("pk"))))
        .select_related("observation__child", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
    for reply in replies:
        kind = "tip" if reply.is_tip and not reply.tried else "reply"
        items.append(FeedItem(kind, reply.created_at, reply, reply.get_absolute_url(), reply.observation.child))

    agreements = (
        ChildAgreement.objects.visible_to(user)
        .filter(child__in=own, status=ChildAgreement.Status.PROPOSED, proposed_side=ChildAgreement.Side.CENTRE)
        .select_related("child")
        .order_by("-updated_at", "-pk")[:limit]
    )
    for agreement in agreements:
        items.append(
            FeedItem("agreement", agreement.updated_at, agreement, agreement.get_absolute_url(), agreement.child)
        )

    events = (
        Event.objects.visible_to(user)
        .invited(user)
        .filter(cancelled_at__isnull=True, starts_at__gt=now)
        .exclude(Exists(Rsvp.objects.filter(event=OuterRef("pk"), person=user)))
        .select_related("centre")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        items.append(FeedItem("event", event.created_at, event, event.get_absolute_url()))

    items.sort(key=lambda item: item.at, reverse=True)
    start = (page - 1) * per_page
    shown = items[start : start + per_page]
    for item in shown:
        item.is_new = since is None or item.at > since
    return FeedPage(
        items=shown,
        number=page,
        has_next=len(items) > start + per_page and page < FEED_MAX_PAGES,
        has_previous=page > 1,
    )


@dataclass
class Week:
    today: list
    coming: list
    reviews: list
    proposals: list


def staff_week(user, today=None):
    """For staff and managers: today's events, those of the coming seven days, and agreements to look at.

    Events of the centres the user works at (those they organise), with how many people are coming; accepted
    agreements of the children they care for whose review date falls within the coming week or has passed, and
    proposals from parents that wait for the centre's answer.
    """
    today = today or timezone.localdate()
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    start_of_tomorrow = start_of_today + timedelta(days=1)
    end_of_week = start_of_today + timedelta(days=8)
    events = list(
        Event.objects.managed_by(user)
        .filter(cancelled_at__isnull=True, ends_at__gte=timezone.now(), starts_at__lt=end_of_week)
        .select_related("centre")
        .with_counts()
        .order_by("starts_at", "pk")[:30]
    )
    agreements = ChildAgreement.objects.visible_to(user).filter(child__in=Child.objects.cared_for_by(user).current())
    reviews = list(
        agreements.filter(status=ChildAgreement.Status.ACCEPTED, review_date__lte=today + REVIEW_HORIZON)
        .select_related("child")
        .order_by("review_date", "pk")[:20]
    )
    proposals = list(
        agreements.filter(status=ChildAgreement.Status.PROPOSED, proposed_side=ChildAgreement.Side.HOME)
        .select_related("child")
        .order_by("updated_at", "pk")[:20]
    )
    return Week(
        today=[event for event in events if event.starts_at < start_of_tomorrow],
        coming=[event for event in events if event.starts_at >= start_of_tomorrow],
        reviews=reviews,
        proposals=proposals,
    )
