"""Every URL pattern of the project, from the resolver, and which model each URL argument points at."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

# Arguments that are secrets in themselves (a capability): whoever holds the value may open the page.
CAPABILITIES = re.compile(r"^(token|key|uidb36|secret|code)$|_token$")
ARGUMENT = re.compile(r"<(?:[^>:]+:)?([^>]+)>|\(\?P<([^>]+)>")
POSITIONAL = re.compile(r"\((?!\?)")  # an unnamed regex group: filled in as _0, _1, ...


@dataclass
class Route:
    pattern: str  # the full pattern text, for messages and for routes without a name
    name: str | None  # namespaced name for reverse()
    kwargs: dict  # argument -> converter (None for a regex group)
    module: str  # the view's module

    @property
    def app_label(self):
        return self.module.split(".")[0]

    @property
    def object_kwargs(self):
        return [k for k in self.kwargs if not CAPABILITIES.search(k)]

    @property
    def capability_kwargs(self):
        return [k for k in self.kwargs if CAPABILITIES.search(k)]

    @property
    def positional(self):
        return all(k.startswith("_") and k[1:].isdigit() for k in self.kwargs) and bool(self.kwargs)

    def word_before(self, kwarg):
        """The literal path word just before an argument: 'children/<int:pk>/' gives 'children' for pk."""
        if kwarg.startswith("_") and kwarg[1:].isdigit():
            groups = list(POSITIONAL.finditer(self.pattern))
            before = self.pattern[: groups[int(kwarg[1:])].start()] if int(kwarg[1:]) < len(groups) else ""
            words = re.findall(r"[A-Za-z][A-Za-z_-]+", re.sub(r"\([^)]*\)", "/", before))
            return words[-1] if words else ""
        for match in ARGUMENT.finditer(self.pattern):
            if kwarg in (match.group(1), match.group(2)):
                before = ARGUMENT.sub("/", self.pattern[: match.start()])
                words = re.findall(r"[A-Za-z][A-Za-z_-]+", before)
                return words[-1] if words else ""
        return ""

    def is_int(self, kwarg):
        return isinstance(self.kwargs.get(kwarg), IntConverter)

    def path(self, values):
        if self.name and self.positional:
            return reverse(self.name, args=[values[k] for k in sorted(values, key=lambda k: int(k[1:]))])
        if self.name:
            return reverse(self.name, kwargs=values)
        text = self.pattern
        for kwarg, value in values.items():
            text = re.sub(rf"<(?:[^>:]+:)?{kwarg}>", str(value), text)
        return "/" + text

    def __str__(self):
        return f"/{self.pattern}"


def all_routes():
    routes = []

    def walk(patterns, prefix, namespace, converters):
        for entry in patterns:
            pattern = entry.pattern
            merged = dict(converters)
            if isinstance(pattern, RoutePattern):
                merged.update(pattern.converters)
            elif pattern.regex.groupindex:
                merged.update(dict.fromkeys(pattern.regex.groupindex))
            else:
                merged.update(dict.fromkeys(f"_{i}" for i in range(pattern.regex.groups)))
            text = prefix + str(pattern)
            if isinstance(entry, URLResolver):
                inner = ":".join(p for p in (namespace, entry.namespace) if p) if entry.namespace else namespace
                walk(entry.url_patterns, text, inner, merged)
            elif isinstance(entry, URLPattern):
                name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
                callback = getattr(entry.callback, "view_class", entry.callback)
                routes.append(Route(text, name, merged, getattr(callback, "__module__", "") or ""))

    walk(get_resolver().url_patterns, "", None, {})
    return routes


def _names_of(model):
    meta = model._meta
    names = {meta.model_name, str(meta.verbose_name), str(meta.verbose_name_plural)}
    names |= {meta.model_name + "s", meta.model_name + "es", meta.object_name}
    if meta.model_name.endswith("y"):  # 'moment-replies' names a MomentReply
        names.add(meta.model_name[:-1] + "ies")
    return {re.sub(r"[^a-z]", "", n.lower()) for n in names}


def models_for(route, kwarg, candidates):
    """The models a URL argument names: by the argument ('child_pk'), else by the path word before it
    ('children/<pk>'), else by a word of the URL name ('child_detail'). Exact names first, then a model
    whose name starts with or contains the word ('intake' for IntakeRequest); the view's own app first."""
    base = re.sub(r"(_pk|_id|pk|id)$", "", kwarg).strip("_").replace("_", "")
    hints = [base] if base else []
    hints.append(re.sub(r"[^a-z]", "", route.word_before(kwarg).lower()))
    if route.name:
        hints += [re.sub(r"[^a-z]", "", w) for w in route.name.split(":")[-1].split("_")]
    hints = [h for h in hints if len(h) > 2]
    tiers = [
        lambda hint, names: hint in names,
        lambda hint, names: any(n.startswith(hint) or hint.startswith(n) for n in names),
        lambda hint, names: any(hint.rstrip("s") in n for n in names),
    ]
    for matches_tier in tiers:
        for hint in hints:
            matches = [m for m in candidates if matches_tier(hint, _names_of(m))]
            own_app = [m for m in matches if m._meta.app_label == route.app_label]
            if own_app or matches:
                return own_app or matches
    return []
