"""Models of the partnership app, one module per subject."""

from .notification import Notification
from .observations import Observation, ObservationPhoto, Reply, Side, Theme, TipOutcome

__all__ = ["Notification", "Observation", "ObservationPhoto", "Reply", "Side", "Theme", "TipOutcome"]
