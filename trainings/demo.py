"""Demo data of the trainings app, called by `seed_demo` (must be idempotent)."""


def seed(demo):
    """The training catalogue and a booking for the demo organisation."""
