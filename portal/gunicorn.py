"""Gunicorn settings for production (`gunicorn -c python:portal.gunicorn portal.wsgi:application`).

The access log is written like the portal's own log: one JSON object per line with the request id that the
portal sent back in `X-Request-ID`, so a request's access line and its application lines share an id.
(`LOG_FORMAT=text` gives gunicorn's usual text lines.) Paths are logged without their query string.
"""

import json
import os
from datetime import UTC, datetime

from gunicorn.glogging import Logger

accesslog = "-"
json_lines = os.environ.get("LOG_FORMAT", "text" if os.environ.get("DEBUG") in ("1", "true", "True") else "json")


class JsonAccessLogger(Logger):
    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        status = resp.status.split(None, 1)[0] if isinstance(resp.status, str) else resp.status
        request_id = next((value for name, value in resp.headers if name.lower() == "x-request-id"), None)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "message": f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')} {status}",
            "request_id": request_id,
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "ms": request_time.seconds * 1000 + request_time.microseconds // 1000,
            "remote": environ.get("REMOTE_ADDR"),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


if json_lines == "json":
    logger_class = JsonAccessLogger
