from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared machinery without models: mail per recipient language, the due-row dispatcher, form helpers."""

    name = "common"
