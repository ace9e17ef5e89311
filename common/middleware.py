"""Posted text as the portal stores it."""


class NormalizeNewlinesMiddleware:
    """Browsers send the line breaks of a textarea as CRLF; the portal stores LF. Without this, sending an
    unchanged form would change every stored text with a line break (and write a history entry for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            posted = request.POST
            if any("\r" in value for _name, values in posted.lists() for value in values):
                normalized = posted.copy()
                for name, values in posted.lists():
                    normalized.setlist(name, [value.replace("\r\n", "\n").replace("\r", "\n") for value in values])
                normalized._mutable = False
                request.POST = normalized
        return self.get_response(request)
