"""Models of the partnership app, one module per subject."""

from .notification import Notification

__all__ = ["Notification"]
