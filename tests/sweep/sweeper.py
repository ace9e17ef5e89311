"""Requests every URL of the project as each person of the world, and reports what should not happen."""

import hashlib
import logging
import secrets
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.forms.models import model_to_dict
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch

from .routes import models_for
from .world import CANARY, PROJECT_APPS, project_models, related, scoped_models

# Answers that say "not for you" (or "not like this"): anything but 2xx, and redirects that did no harm.
TEXT_TYPES = ("text/", "application/json", "application/xhtml", "application/javascript")
# Admin pages are only reachable for is_staff accounts, which none of the people here is; one visitor
# of each kind is enough to show that.
ADMIN_PEOPLE = ("anonymous", "manager")


class Answer:
    """What a request answered, kept so the same request is not made twice: its status and redirect."""

    def __init__(self, status_code, location):
        self.status_code = status_code
        self.location = location

    def get(self, header, default=None):
        return self.location if header == "Location" else default


class Sweep:
    def __init__(self, world, learned_from=None):
        """`learned_from`: an earlier sweep of the same world (the shared crawl), whose findings of which
        model stands behind each URL argument are taken over instead of being found again."""
        self.world = world
        self.scoped = scoped_models()
        self.models = project_models(include_auto_created=False)
        # What the earlier sweep found wrong stays found; what it asked is not asked again.
        self.failures = list(learned_from.failures) if learned_from else []
        self.unreached = list(learned_from.unreached) if learned_from else []
        self.reached = dict(learned_from.reached) if learned_from else {}  # route pattern -> (person, values)
        self.learned = dict(learned_from.learned) if learned_from else {}  # route pattern -> model or None
        self.asked = dict(learned_from.asked) if learned_from else {}  # (person, method, path) -> Answer
        self.requests = 0
        self.clients = {}
        for name, person in world.people.items():
            client = Client()
            if person.is_authenticated:
                client.force_login(person)
            self.clients[name] = (client, client.cookies.get(settings.SESSION_COOKIE_NAME))

    def use_session(self, person):
        """The person's own client, logged in again should an earlier request have logged them out."""
        client, session_cookie = self.clients[person]
        if session_cookie is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session_cookie.value
        else:
            client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return client

    # One request, undone afterwards --------------------------------------------------------------------------
    def request(self, person, method, path, target=None):
        """GET or POST `path` as `person` inside a savepoint that is rolled back; report what it did to
        `target` (an object that must stay as it is)."""
        if target is None and (person, method, path) in self.asked:
            return self.asked[(person, method, path)]  # asked before, and checked then
        client = self.use_session(person)
        self.requests += 1
        before = self.snapshot(target)
        with transaction.atomic():
            try:
                response = getattr(client, method)(path)
            except Exception as error:  # the view crashed: a 500 for a real visitor
                transaction.set_rollback(True)
                self.failures.append(f"{method.upper()} {path} as {person}: raised {error!r}"[:400])
                return None
            changed = target is not None and self.snapshot(target) != before
            transaction.set_rollback(True)
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {path} as {person}: answered {response.status_code}")
        if changed:
            self.failures.append(f"{method.upper()} {path} as {person}: changed {type(target).__name__} {target.pk}")
        if 200 <= response.status_code < 300:
            self.search_for_leaks(person, method, path, response)
        if target is None:
            self.asked[(person, method, path)] = Answer(response.status_code, response.get("Location", ""))
        return response

    def snapshot(self, obj):
        if obj is None:
            return None
        fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
        return fresh and model_to_dict(fresh)

    def search_for_leaks(self, person, method, path, response):
        body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        holders = self.world.files.get(hashlib.sha256(body).hexdigest(), [])
        if holders and not any(self.world.can_see(person, holder) for holder in holders):
            self.failures.append(f"{method.upper()} {path} as {person}: served the file of {holders[0]!r}")
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return
        text = body.decode("utf-8", "replace")
        for pk in {int(found) for found in CANARY.findall(text)}:
            obj = self.world.objects.get(pk)
            if obj is not None and not self.world.can_see(person, obj):
                self.failures.append(
                    f"{method.upper()} {path} as {person}: shows {type(obj).__name__} {pk} ({obj}) of someone else"[
                        :400
                    ]
                )

    def ask(self, person, route, values, target=None):
        """GET the page; a POST-only view (405) is POSTed to instead, with nothing in the form."""
        path = route.path(values)
        response = self.request(person, "get", path, target)
        if response is not None and response.status_code == 405:
            response = self.request(person, "post", path, target)
        return response

    # Filling in arguments -----------------------------------------------------------------------------------
    def related(self, obj, model):
        return related(obj, model)

    def kwarg_models(self, route, kwarg):
        """The models an argument may name, best guesses first; the rest follow, since ids are unique
        across tables and a wrong guess only finds nothing."""
        if route.is_int(kwarg) or route.positional:
            guessed = models_for(route, kwarg, self.models)
            return guessed + [m for m in self.models if m not in guessed]
        # A text argument names a model only through a field of that name (a slug, a uuid).
        return [m for m in self.models if kwarg in {f.name for f in m._meta.concrete_fields}]

    def values_for(self, route, primary, obj, person=None):
        """Arguments for `route` with `obj` in `primary`; the other arguments come from `obj`'s own parents,
        or, given a person, from that person's own objects."""
        values = {}
        for kwarg in route.kwargs:
            if kwarg == primary:
                values[kwarg] = obj.pk if route.is_int(kwarg) or route.positional else getattr(obj, kwarg)
            elif kwarg in route.capability_kwargs:
                values[kwarg] = "x" + secrets.token_hex(8)
            else:
                models = self.kwarg_models(route, kwarg)
                found = None
                if person is None:
                    found = next(filter(None, (self.related(obj, m) for m in models)), None)
                else:
                    seen = [pk for m in models for pk in self.world.seen_by(person, m)]
                    found = self.world.objects[seen[0]] if seen else None
                if found is None:
                    return None
                values[kwarg] = found.pk
        return values

    # The sweep ----------------------------------------------------------------------------------------------
    def sweep(self, route):
        if route.pattern.startswith("admin/"):
            return self.sweep_admin(route)
        people = list(self.world.people)
        if not route.kwargs:
            for person in people:
                self.ask(person, route, {})
            return
        if not route.object_kwargs:
            # Only secrets in the URL: a made-up secret opens nothing.
            for person in people:
                response = self.ask(person, route, {k: "x" + secrets.token_hex(8) for k in route.kwargs})
                ours = route.app_label in PROJECT_APPS  # allauth shows its "invalid link" page with a 200
                if ours and response is not None and response.status_code == 200:
                    self.failures.append(f"{route} as {person}: a made-up {route.capability_kwargs} answered 200")
            return
        primary = route.object_kwargs[-1]
        models = self.kwarg_models(route, primary)
        if not models:
            return  # a free-text argument that names no model (a year, a theme): nothing to fill in
        learned = self.reach(route, primary, models)
        models = [learned] if learned is not None else [m for m in models[:2] if m in self.scoped]
        for person in people:
            for model in models:
                # Their own object first: a page someone may open must not show what is not theirs either.
                for pk in self.world.seen_by(person, model)[:1] if person != "anonymous" else []:
                    values = self.values_for(route, primary, self.world.objects[pk], person)
                    if values:
                        self.ask(person, route, values)
                for pk in self.world.foreign(person, model)[:1]:
                    obj = self.world.objects[pk]
                    variants = [self.values_for(route, primary, obj)]
                    if len(route.object_kwargs) > 1 and person != "anonymous":
                        variants.append(self.values_for(route, primary, obj, person))
                    for values in filter(None, variants):
                        response = self.ask(person, route, values, target=obj)
                        if response is not None and response.status_code == 200:
                            self.failures.append(
                                f"{route.path(values)} as {person}: answered 200 for {model.__name__} {pk}, "
                                "which is not theirs"
                            )

    def sweep_stored_files(self):
        """Stored files have no public address: not under /media/, not at the site's root, not as static."""
        names = set()
        for holders in self.world.files.values():
            for obj in holders:
                for f in obj._meta.concrete_fields:
                    if f.get_internal_type() in ("FileField", "ImageField") and getattr(obj, f.attname):
                        names.add(str(getattr(obj, f.attname)))
        for name in sorted(names)[:20]:
            for path in (f"/media/{name}", f"/{name}", f"{settings.STATIC_URL}{name}", f"/static/../media/{name}"):
                for person in ("anonymous", "ouder"):
                    response = self.request(person, "get", path)
                    if response is not None and response.status_code == 200:
                        self.failures.append(f"GET {path} as {person}: a stored file has a public address")

    @staticmethod
    def got_through(response):
        """The view found the object: not a 404/410, and not sent off to log in."""
        if response.status_code in (404, 410):
            return False
        login = resolve_url(settings.LOGIN_URL)
        return not (300 <= response.status_code < 400 and response.get("Location", "").startswith(login))

    def sweep_admin(self, route):
        """The admin is for is_staff accounts, which none of these people has: no admin page answers 200."""
        values = {}
        for kwarg in route.kwargs:
            models = self.kwarg_models(route, kwarg)
            objects = [pk for pk, obj in self.world.objects.items() if models and isinstance(obj, models[0])]
            values[kwarg] = objects[0] if objects else 1
        try:
            path = route.path(values)
        except NoReverseMatch:
            return  # an argument with a fixed set of values (an app label): the admin index covers it
        for person in ADMIN_PEOPLE:
            response = self.request(person, "get", path)
            if response is not None and response.status_code == 200:
                self.failures.append(f"GET {path} as {person}: an admin page answered 200")

    def reach(self, route, primary, models):
        """Find the model behind an argument: someone who may see an object of it gets past the lookup.
        It proves that the sweep fills in the right objects; a URL nobody reaches is reported (once)."""
        if route.pattern not in self.learned:
            self.learned[route.pattern] = self._reach(route, primary, models)
        return self.learned[route.pattern]

    def _reach(self, route, primary, models):
        guessed = models_for(route, primary, self.models)
        for model in models:
            for person in self.world.people:
                seen = self.world.seen_by(person, model)
                if not seen or person == "anonymous":
                    continue
                # A guessed model is tried by everyone who sees it, with a few of their objects (only the
                # manager may edit a centre, only an open booking can be confirmed); other models once.
                for pk in dict.fromkeys([seen[0], seen[len(seen) // 2], seen[-1]] if model in guessed else seen[:1]):
                    values = self.values_for(route, primary, self.world.objects[pk])
                    response = values and self.ask(person, route, values)
                    if response is not None and response and self.got_through(response):
                        self.reached[route.pattern] = (person, values)
                        return model
                if model not in guessed:
                    break
        names = [m.__name__ for m in guessed]
        empty = [name for name in names if not any(type(o).__name__ == name for o in self.world.objects.values())]
        self.unreached.append(
            f"{route} ({route.name}): {primary} guessed as {names}" + (f"; none exists of {empty}" if empty else "")
        )
        return None


@contextmanager
def quiet_request_log():
    """Thousands of refused requests would each log a warning."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
