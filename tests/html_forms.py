"""Forms read from a page's HTML and sent back the way a browser sends them.

`submit(client, page)` opens a page, takes its form (the first POST form in `<main>`, or the one whose action or
fields are named) and posts what a browser posts when the person changes nothing (or only `changes`):
- every named, enabled control: inputs with their value, checked boxes and radios (`on` without a value),
  the selected options of a select (the first option when none is selected; all selected ones when multiple),
  textareas as their text with line breaks as CRLF, an empty file part for a file input;
- the submit button's name and value when it has a name; no other button;
- `application/x-www-form-urlencoded`, or multipart when the form says so.

`typed_input_problems(html)` lists the typed inputs on a page whose value, min or max a browser would drop
(or that it would refuse to send unchanged), following the value sanitization rules of the HTML standard.
"""

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

VOID_BUTTON_TYPES = {"submit", "image"}
NOT_SENT_TYPES = {"button", "reset"}


@dataclass
class Control:
    tag: str  # input, select, textarea, button
    name: str
    type: str = "text"
    value: str = ""
    checked: bool = False
    disabled: bool = False
    multiple: bool = False
    options: list = field(default_factory=list)  # (value, selected, disabled) for selects
    attrs: dict = field(default_factory=dict)


@dataclass
class HtmlForm:
    action: str
    method: str
    enctype: str
    in_main: bool
    controls: list = field(default_factory=list)

    @property
    def names(self):
        return {c.name for c in self.controls}

    def unanswered_choices(self):
        """Radio groups with no option checked: a question not answered before, which a browser sends nothing
        for."""
        radios = {}
        for c in self.controls:
            if c.type == "radio" and not c.disabled:
                radios[c.name] = radios.get(c.name, False) or c.checked
        return [name for name, answered in radios.items() if not answered]

    def submit_button(self, name=None):
        buttons = [
            c
            for c in self.controls
            if (c.tag == "button" and c.type == "submit") or (c.tag == "input" and c.type in VOID_BUTTON_TYPES)
        ]
        if name is not None:
            buttons = [b for b in buttons if b.name == name]
        return buttons[0] if buttons else None

    def browser_data(self, button=None):
        """[(name, value)] as a browser sends it, in document order."""
        pairs = []
        clicked = self.submit_button(button)
        for control in self.controls:
            if control.disabled or not control.name:
                continue
            if control.tag == "button" or control.type in VOID_BUTTON_TYPES:
                if control is clicked:
                    pairs.append((control.name, control.value))
                continue
            if control.type in NOT_SENT_TYPES:
                continue
            if control.tag == "select":
                enabled = [o for o in control.options if not o[2]]
                chosen = [o for o in enabled if o[1]]
                if not chosen and not control.multiple and enabled:
                    chosen = [enabled[0]]
                pairs += [(control.name, o[0]) for o in chosen]
            elif control.tag == "textarea":
                pairs.append((control.name, re.sub(r"\r\n|\r|\n", "\r\n", control.value)))
            elif control.type in ("checkbox", "radio"):
                if control.checked:
                    pairs.append((control.name, control.value or "on"))
            elif control.type == "file":
                pairs.append((control.name, None))  # an empty file part
            else:
                pairs.append((control.name, re.sub(r"[\r\n]", "", control.value)))
        return pairs


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.loose = []  # controls outside any form (typed inputs of a filter bar, say)
        self.select = None
        self.option = None
        self.textarea = None
        self.main_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "main":
            self.main_depth += 1
        if tag == "form":
            self.form = HtmlForm(
                attrs.get("action", ""),
                attrs.get("method", "get").lower(),
                attrs.get("enctype", "application/x-www-form-urlencoded").lower(),
                self.main_depth > 0,
            )
            self.forms.append(self.form)
            return
        if tag == "input":
            self._add(
                Control(
                    "input",
                    attrs.get("name", ""),
                    attrs.get("type", "text").lower(),
                    attrs.get("value", "on" if attrs.get("type", "").lower() in ("checkbox", "radio") else ""),
                    checked="checked" in attrs,
                    disabled="disabled" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "button":
            self._add(
                Control(
                    "button",
                    attrs.get("name", ""),
                    attrs.get("type", "submit").lower(),
                    attrs.get("value", ""),
                    disabled="disabled" in attrs,
                    attrs=attrs,
                )
            )
        elif tag == "select":
            self.select = Control(
                "select", attrs.get("name", ""), "select", disabled="disabled" in attrs, multiple="multiple" in attrs
            )
            self.select.attrs = attrs
            self._add(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, "disabled" in attrs, ""]
            self.select.options.append(self.option)
        elif tag == "textarea":
            self.textarea = Control("textarea", attrs.get("name", ""), "textarea", disabled="disabled" in attrs)
            self.textarea.attrs = attrs
            self._add(self.textarea)

    def handle_endtag(self, tag):
        if tag == "main":
            self.main_depth -= 1
        elif tag == "form":
            self.form = None
        elif tag == "select":
            self._finish_select()
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            # The HTML parser drops one line break right after <textarea>.
            if self.textarea.value.startswith("\n"):
                self.textarea.value = self.textarea.value[1:]
            self.textarea = None

    def _finish_select(self):
        if self.select is not None:
            # An option without a value attribute sends its text.
            self.select.options = [
                (o[0] if o[0] is not None else o[3].strip(), o[1], o[2]) for o in self.select.options
            ]
        self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        elif self.option is not None:
            self.option[3] += data

    def _add(self, control):
        (self.form.controls if self.form is not None else self.loose).append(control)


def parse(html):
    parser = _Parser()
    parser.feed(html)
    parser._finish_select()
    return parser


def forms_in(html):
    return parse(html).forms


def pick_form(html, action=None, field=None, index=0):
    """The POST form of a page: by (part of) its action, by a field name it has, else the `index`th one in
    <main>."""
    forms = [f for f in forms_in(html) if f.method == "post"]
    if action is not None:
        forms = [f for f in forms if action in f.action]
    if field is not None:
        forms = [f for f in forms if field in f.names]
    in_main = [f for f in forms if f.in_main] or forms
    assert in_main, f"no POST form (action={action}, field={field}) on the page"
    return in_main[index]


def encode(form, pairs):
    """Keyword arguments for the test client's post(): the body as the browser would encode it."""
    if form.enctype == "multipart/form-data":
        data = {}
        for name, value in pairs:
            if value is None:
                continue  # an empty file part (no file chosen): Django's parser drops it, so leave it out
            data.setdefault(name, []).append(value)
        return {"data": data}
    body = urlencode([(name, value or "") for name, value in pairs])
    return {"data": body, "content_type": "application/x-www-form-urlencoded"}


def submit(client, page, action=None, field=None, index=0, changes=None, button=None, follow=False, **headers):
    """Open `page`, take its form and post it as a browser would, with `changes` typed in ({name: value};
    None removes the field). Returns the response to the post."""
    response = client.get(page, **headers)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    form = pick_form(response.content.decode(), action=action, field=field, index=index)
    pairs = form.browser_data(button)
    for name, value in (changes or {}).items():
        pairs = [(n, v) for n, v in pairs if n != name]
        if value is not None:
            pairs += [(name, one) for one in (value if isinstance(value, list | tuple) else [value])]
    target = urljoin("http://testserver" + page, form.action or page)
    path = urlsplit(target).path + (f"?{urlsplit(target).query}" if urlsplit(target).query else "")
    response = client.post(path, follow=follow, **encode(form, pairs), **headers)
    response.sent_form = form
    return response


# Typed inputs a browser would drop -------------------------------------------------------------------------

DATE = re.compile(r"^(\d{4,})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4,})-(\d{2})$")
WEEK = re.compile(r"^\d{4,}-W\d{2}$")
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?$")
NUMBER = re.compile(r"^-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The HTML standard's "valid email address".
EMAIL = re.compile(
    r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$"
)


def _real_date(text):
    match = DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_typed(kind, text):
    """The value a browser keeps for `text` in an input of type `kind`, comparable for min/max; None when
    the browser drops it (sets the value to the empty string)."""
    if kind == "date":
        return _real_date(text)
    if kind == "datetime-local":
        day, _t, clock = text.replace(" ", "T").partition("T")
        return (_real_date(day), clock) if "T" in text and _real_date(day) and TIME.match(clock) else None
    if kind == "time":
        return text if TIME.match(text) else None
    if kind == "month":
        return text if MONTH.match(text) and 1 <= int(text[-2:]) <= 12 else None
    if kind == "week":
        return text if WEEK.match(text) else None
    if kind in ("number", "range"):
        return float(text) if NUMBER.match(text) else None
    if kind == "color":
        return text.lower() if COLOR.match(text) else None
    return text


def typed_input_problems(html):
    """Typed inputs whose value (or min/max) a browser would drop, or that it would refuse to send unchanged
    (a value outside min/max, a number off its step, a prefilled address that is no email or URL)."""
    problems = []
    page = parse(html)
    controls = [c for f in page.forms for c in f.controls] + page.loose
    for control in controls:
        if control.tag != "input" or control.disabled:
            continue
        kind, value, attrs = control.type, control.value, control.attrs
        where = f'<input type="{kind}" name="{control.name}" value="{value}">'
        if kind in ("date", "datetime-local", "time", "month", "week", "number", "range", "color"):
            parsed = parse_typed(kind, value) if value else None
            if value and parsed is None:
                problems.append(f"{where}: the browser drops this value")
                continue
            for bound in ("min", "max"):
                if bound in attrs and attrs[bound] and parse_typed(kind, attrs[bound]) is None:
                    problems.append(f'{where}: {bound}="{attrs[bound]}" is not in the syntax of the type')
            if parsed is None:
                continue
            low = parse_typed(kind, attrs.get("min", "") or "") if attrs.get("min") else None
            high = parse_typed(kind, attrs.get("max", "") or "") if attrs.get("max") else None
            if low is not None and parsed < low:
                problems.append(f'{where}: below min="{attrs["min"]}", the browser refuses to send it unchanged')
            if high is not None and parsed > high:
                problems.append(f'{where}: above max="{attrs["max"]}", the browser refuses to send it unchanged')
            step = attrs.get("step", "")
            if kind == "number" and step != "any":
                size = float(step) if step and NUMBER.match(step) else 1.0
                base = low if low is not None else 0.0
                if size > 0 and abs(((parsed - base) / size) - round((parsed - base) / size)) > 1e-9:
                    problems.append(f'{where}: off its step ("{step or 1}"), the browser refuses to send it')
        elif kind == "email" and value:
            addresses = [a.strip() for a in value.split(",")] if "multiple" in attrs else [value.strip()]
            if not all(EMAIL.match(a) for a in addresses):
                problems.append(f"{where}: not an email address, the browser refuses to send it unchanged")
        elif kind == "url" and value and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S", value.strip()):
            problems.append(f"{where}: not an absolute URL, the browser refuses to send it unchanged")
    return problems
