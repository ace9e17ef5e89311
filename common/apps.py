from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared machinery without models: mail per recipient language, the due-row dispatcher, form helpers."""

    name = "common"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
