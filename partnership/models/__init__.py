"""Models of the partnership app, one module per subject."""

from .agreements import CentreAgreement, ChildAgreement
from .events import CalendarFeed, Event, Rsvp
from .observations import Observation, ObservationPhoto, Reply, Side, Theme, TipOutcome
from .offers import HelpRequest, ParentOffer
from .reminders import Reminder

__all__ = [
    "CalendarFeed",
    "CentreAgreement",
    "ChildAgreement",
    "Event",
    "HelpRequest",
    "ParentOffer",
    "Reminder",
    "Rsvp",
    "Observation",
    "ObservationPhoto",
    "Reply",
    "Side",
    "Theme",
    "TipOutcome",
]
