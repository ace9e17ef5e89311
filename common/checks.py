"""System checks for settings that must not be half right in production."""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_for_rate_limits(app_configs, **kwargs):
    """Login and intake rate limits count in the cache: with a cache per process, each web worker counts on
    its own, so an account gets several times the allowed number of wrong passwords."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            Error(
                f"The default cache ({backend.rsplit('.', 1)[-1]}) lives inside each process, so rate limits "
                "are not shared between web workers.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://redis:6379/1.",
                id="common.E001",
            )
        ]
    return []
