"""Demo data of the partnership app, called by `seed_demo` (must be idempotent)."""


def seed(demo):
    """Observations, replies, tips, events and agreements for the demo centres."""
