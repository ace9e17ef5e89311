"""Models of the partnership app, one module per subject."""

from .absences import Absence
from .agreements import CentreAgreement, ChildAgreement
from .events import CalendarFeed, Event, Rsvp
from .handover import Handover, HandoverLink
from .messages import MessageNotice, TeamMessage
from .moments import GroupMoment, MomentPhoto, MomentReply
from .observations import Observation, ObservationPhoto, Reply, Side, Theme, TipOutcome
from .offers import HelpRequest, ParentOffer
from .reminders import Reminder
from .talks import TalkPreparation, TalkReaction, TalkReminder, TalkReport, TalkRound, TalkSlot
from .team import TeamSettings

__all__ = [
    "Absence",
    "TeamSettings",
    "MessageNotice",
    "TeamMessage",
    "GroupMoment",
    "MomentPhoto",
    "MomentReply",
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
    "Handover",
    "HandoverLink",
    "TalkPreparation",
    "TalkReaction",
    "TalkReminder",
    "TalkReport",
    "TalkRound",
    "TalkSlot",
]
