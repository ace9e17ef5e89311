"""The forms on a page, read from its HTML as a browser would submit them, and hostile values for each field."""

import io
import zlib
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser

from hypothesis import strategies as st
from PIL import Image


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, file, number, date, email, ...
    value: str = ""
    options: list = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    multipart: bool
    fields: dict = field(default_factory=dict)  # name -> list of Field (radios and checkboxes share a name)

    def defaults(self):
        """What the browser would send untouched: hidden values, checked boxes, first or selected options."""
        data = {}
        for name, fields in self.fields.items():
            first = fields[0]
            if first.kind in ("radio", "checkbox"):
                chosen = [f.value or "on" for f in fields if f.checked]
                if chosen:
                    data[name] = chosen if first.kind == "checkbox" else chosen[0]
            elif first.kind == "select":
                data[name] = first.value or (first.options[0] if first.options else "")
            elif first.kind not in ("file", "submit", "button", "reset", "image"):
                data[name] = first.value
        return data


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self._form = Form(attrs.get("action", ""), "multipart" in attrs.get("enctype", ""))
                self.forms.append(self._form)
            return
        if self._form is None or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            self._add(Field(attrs["name"], kind, attrs.get("value", ""), checked="checked" in attrs))
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea")
            self._add(self._textarea)
        elif tag == "select":
            self._select = Field(attrs["name"], "select")
            self._add(self._select)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select.options.append(value)
            if "selected" in attrs:
                self._select.value = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def _add(self, one):
        self._form.fields.setdefault(one.name, []).append(one)


def forms_in(html):
    parser = FormParser()
    parser.feed(html)
    return parser.forms


# Hostile values ------------------------------------------------------------------------------------------

HOSTILE_TEXT = [
    "",
    "   ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.password }}{% debug %}",
    "' OR 1=1 --",
    "\u202e\u200b\ufeff",
    "🙂" * 50,
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "%s%n%x",
    "../../../../etc/passwd",
    "javascript:alert(1)",
]
HOSTILE_NUMBERS = ["-1", "0", "1e309", "99999999999999999999999", "3.5", "NaN", "١٢", "0x10", ""]
HOSTILE_DATES = ["2023-02-30", "0000-00-00", "9999-12-31", "1900-01-01", "31-12-2024", "2024-13-01", "", "gisteren"]
HOSTILE_DATETIMES = ["2024-02-30T10:00", "9999-12-31T23:59", "1000-01-01T00:00", "2024-01-01T25:61", "", "nu"]
HOSTILE_EMAILS = ["", "geen-adres", "a@b", "a" * 300 + "@example.org", "x@example.org\nBcc: y@example.org", "@"]


def text_values(limit):
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=200),
        st.integers(min_value=limit, max_value=limit + 60_000).map(lambda n: "x" * n),
    )


def id_values(world_ids):
    """Someone else's ids, ids that do not exist, and things that are not ids."""
    return st.one_of(
        st.sampled_from(world_ids or ["1"]),
        st.sampled_from(["0", "-1", "999999999999", "abc", "1 OR 1=1", "", "1.5", "[]"]),
    )


def field_values(one, foreign_ids):
    kind = one.kind
    if kind in ("hidden",):
        # Usually tokens and keys: keep them, or tamper with them.
        return st.one_of(st.just(one.value), st.sampled_from(["", "x", "0" * 70, "<b>"]), st.text(max_size=80))
    if kind in ("select", "radio"):
        return st.one_of(st.sampled_from(one.options or [one.value]), id_values(foreign_ids))
    if kind == "checkbox":
        return st.one_of(st.just(None), st.just(one.value or "on"), id_values(foreign_ids))
    if kind == "number":
        return st.one_of(st.sampled_from(HOSTILE_NUMBERS), st.integers().map(str))
    if kind == "date":
        return st.sampled_from(HOSTILE_DATES)
    if kind == "datetime-local":
        return st.sampled_from(HOSTILE_DATETIMES)
    if kind == "email":
        return st.one_of(st.sampled_from(HOSTILE_EMAILS), text_values(250))
    if kind == "file":
        return st.sampled_from(list(hostile_files().items()))
    return text_values(5_000)


@cache
def hostile_files():
    """Name -> bytes: an empty file, a text posing as a photo, a broken JPEG, an SVG with a script, a PNG of
    a billion pixels that is small on disk, and a real small photo."""
    return {
        "leeg.jpg": b"",
        "brief.jpg": b"Dit is geen foto maar een tekst.\n" * 20,
        "kapot.jpg": small_jpeg()[:200],
        "tekening.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "reus.png": pixel_bomb(),
        "foto.jpg": small_jpeg(),
    }


def small_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pixel_bomb(side=20_000):
    """A valid greyscale PNG of side x side pixels, written row by row without holding the image."""

    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([1, 0, 0, 0, 0])  # 1-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
