"""Heavy uploads under load: how long other people wait for a page while eight maximal uploads run at once.

Eight clients post observations with photos again and again, as fast as the server answers: the heaviest
form the portal accepts (photos with 50 megapixels together), and the report's four 6300 x 6300 PNGs (small
on disk, refused). Meanwhile wrk measures the floor page for everyone else. The photos are decoded by the
worker later, not by the web workers.
"""

import io
import re
import statistics
import threading
import time
import urllib.request
import uuid
from datetime import date

from PIL import Image

UPLOADERS = 8


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a saved form answers 302: count it as such, without loading the next page


OPENER = urllib.request.build_opener(_NoRedirects)


def png(size):
    buffer = io.BytesIO()
    Image.new("L", size, 0).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Uploader(threading.Thread):
    def __init__(self, base, path, cookie, photos, stop):
        super().__init__(daemon=True)
        self.base, self.path, self.cookie, self.photos, self.stop = base, path, cookie, photos, stop
        self.times, self.statuses = [], []

    def run(self):
        page = urllib.request.Request(self.base + self.path, headers={"Cookie": self.cookie})  # noqa: S310
        with urllib.request.urlopen(page, timeout=30) as response:  # noqa: S310 - our own local server
            html = response.read().decode()
            csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", "")).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = f"{self.cookie}; csrftoken={csrf_cookie}"
        while not self.stop.is_set():
            fields = {
                "csrfmiddlewaretoken": token,
                "observed_on": date.today().isoformat(),
                "theme": "playing",
                "text": "Bouwde een hoge toren.",
                "token": str(uuid.uuid4()),
            }
            body, content_type = multipart(fields, [("photos", f"{n}.png", data) for n, data in enumerate(self.photos)])
            request = urllib.request.Request(  # noqa: S310
                self.base + self.path,
                data=body,
                headers={"Cookie": cookie, "Content-Type": content_type, "Referer": self.base + self.path},
            )
            started = time.monotonic()
            try:
                with OPENER.open(request, timeout=60) as response:
                    response.read()
                    self.statuses.append(response.status)
            except urllib.error.HTTPError as error:
                self.statuses.append(error.code)
            self.times.append(time.monotonic() - started)


def under_uploads(server, cookie, floor, form_path, duration, wrk):
    """wrk on `floor` while eight clients upload; for both the largest accepted and the refused set."""
    results = {"idle": wrk(server.base + floor, cookie, duration)}
    sets = {
        "accepted_2x24mp": [png((6000, 4000)), png((6000, 4000))],
        "refused_4x6300px": [png((6300, 6300)) for _ in range(4)],
    }
    for name, photos in sets.items():
        stop = threading.Event()
        uploaders = [Uploader(server.base, form_path, cookie, photos, stop) for _ in range(UPLOADERS)]
        for uploader in uploaders:
            uploader.start()
        time.sleep(1)
        page = wrk(server.base + floor, cookie, duration)
        stop.set()
        for uploader in uploaders:
            uploader.join(90)
        times = sorted(t for u in uploaders for t in u.times)
        statuses = sorted({s for u in uploaders for s in u.statuses})
        results[name] = {
            "floor_p50_ms": page["p50_ms"],
            "floor_p95_ms": page["p95_ms"],
            "floor_p99_ms": page["p99_ms"],
            "uploads": len(times),
            "upload_p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
            "upload_max_ms": round(times[-1] * 1000, 1) if times else None,
            "upload_statuses": statuses,  # 302: saved, 200: refused with a message
        }
    return results
