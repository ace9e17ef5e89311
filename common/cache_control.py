"""No copies of personal pages in caches: every answer to a signed-in person is `private, no-store`."""

from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """Pages for a signed-in person show a child's or a family's data (or could): no shared cache may keep them
    and the browser should not write them to disk. A response that already chose its own private caching (a
    photo served after an access check) keeps that choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "private" not in response.get("Cache-Control", ""):
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response
