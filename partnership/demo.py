"""Demo data of the partnership app, called by `seed_demo` (must be idempotent)."""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.demo import demo_user
from children.models import Child, Guardianship

from . import talks_demo, team_demo
from .models import (
    CentreAgreement,
    ChildAgreement,
    Event,
    HelpRequest,
    Observation,
    ParentOffer,
    Reply,
    Rsvp,
    Side,
    TipOutcome,
)


def seed(demo):
    """Observations, replies, tips, events and agreements for the demo centres."""
    seed_observations(demo)
    seed_events_and_agreements(demo)
    team_demo.seed(demo)
    talks_demo.seed(demo)


def seed_observations(demo):
    """A few weeks of what Sam's, Noor's, Mila's and Finn's parents and staff saw, replied and tried."""
    users, children, today = demo.users, demo.children, demo.today
    anne, fatima, joost = users["ouder"], users["medewerker"], users["manager"]
    peter, lisa = users["ouder2"], users["medewerker2"]

    def token(key):
        return uuid.uuid5(uuid.NAMESPACE_URL, f"samenspel-demo/{key}")

    def moment(days_ago, hour):
        return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(hour, 15)))

    def observation(key, child, author, side, theme, days_ago, hour, text, question=False):
        obs, created = Observation.objects.get_or_create(
            submission_token=token(key),
            defaults={
                "child": child,
                "author": author,
                "side": side,
                "theme": theme,
                "observed_on": today - timedelta(days=days_ago),
                "text": text,
                "is_question": question,
            },
        )
        if created:
            Observation.objects.filter(pk=obs.pk).update(created_at=moment(days_ago, hour))
        return obs

    def reply(key, obs, author, side, days_ago, hour, text, tip=False):
        answer, created = Reply.objects.get_or_create(
            submission_token=token(key),
            defaults={"observation": obs, "author": author, "side": side, "text": text, "is_tip": tip},
        )
        if created:
            Reply.objects.filter(pk=answer.pk).update(created_at=moment(days_ago, hour))
        return answer

    def outcome(tip, author, result, comment):
        TipOutcome.objects.get_or_create(tip=tip, defaults={"author": author, "result": result, "comment": comment})

    home, centre = Side.HOME, Side.CENTRE
    sam, noor, mila, finn = children["sam"], children["noor"], children["mila"], children["finn"]

    sleep = observation(
        "sam-sleep",
        sam,
        anne,
        home,
        "sleeping",
        12,
        8,
        "Sam wilde gisteravond niet gaan slapen. Na twee boekjes en een liedje lag hij om half negen nog wakker "
        "te praten tegen zijn knuffel. Herkennen jullie dit? Slaapt hij tussen de middag nog lang?",
        question=True,
    )
    tip = reply(
        "sam-sleep-tip",
        sleep,
        fatima,
        centre,
        12,
        14,
        "Bij ons slaapt Sam ongeveer anderhalf uur, van half één tot twee uur. Misschien helpt een korter "
        "middagslaapje: we kunnen hem om half twee wakker maken als jullie dat willen. Een vast avondritueel "
        "met steeds hetzelfde liedje helpt veel kinderen ook.",
        tip=True,
    )
    reply(
        "sam-sleep-thanks", sleep, anne, home, 11, 7, "Dank je! Ja, maak hem maar om half twee wakker, we proberen het."
    )
    outcome(
        tip,
        anne,
        TipOutcome.Result.PARTLY,
        "Met het kortere middagslaapje sliep hij vaker om acht uur, maar niet elke avond.",
    )

    observation(
        "sam-play",
        sam,
        fatima,
        centre,
        "playing",
        9,
        15,
        "Sam heeft vandaag lang met Daan in de bouwhoek gespeeld. Ze bouwden samen een garage voor de auto's en "
        "wachtten netjes op hun beurt bij de blokken.",
    )
    eating = observation(
        "sam-eating",
        sam,
        anne,
        home,
        "eating",
        7,
        19,
        "Sam eet sinds kort geen groente meer, alleen nog als het fijngeprakt door de aardappelen zit.",
    )
    veggie_tip = reply(
        "sam-eating-tip",
        eating,
        fatima,
        centre,
        6,
        13,
        "Op de groep eet hij komkommer en worteltjes als rauwkost uit de hand. Misschien thuis ook eens rauwe "
        "groente als 'knabbel' aanbieden, voor het eten?",
        tip=True,
    )
    outcome(
        veggie_tip, anne, TipOutcome.Result.WORKED, "Rauwe worteltjes gaan er goed in! Gekookte groente blijft lastig."
    )
    observation(
        "sam-language",
        sam,
        fatima,
        centre,
        "language",
        4,
        16,
        "Sam zong vandaag mee met 'Hoofd, schouders, knie en teen' en maakt al zinnen van vier woorden: "
        "'ik wil ook fietsen'.",
    )
    toilet = observation(
        "sam-toilet",
        sam,
        fatima,
        centre,
        "toilet",
        2,
        15,
        "Sam gaf vandaag twee keer zelf aan dat hij moest plassen en is op het potje gegaan. Goed gedaan!",
    )
    reply(
        "sam-toilet-tip",
        toilet,
        anne,
        home,
        2,
        20,
        "Thuis helpt een sticker op een kaart na elke keer. Misschien ook iets voor op de groep?",
        tip=True,
    )
    observation(
        "sam-goodbye",
        sam,
        anne,
        home,
        "social_emotional",
        1,
        9,
        "Bij het brengen huilt Sam de laatste week weer vaker. Thuis vertelt hij dat hij het fijn vindt op de "
        "groep. Hoe gaat het als ik weg ben?",
        question=True,
    )

    teeth = observation(
        "noor-teeth",
        noor,
        anne,
        home,
        "sleeping",
        3,
        7,
        "Noor krijgt tandjes en slaapt onrustig. Vannacht was ze drie keer wakker, dus ze kan vandaag moe zijn.",
    )
    reply(
        "noor-teeth-reply",
        teeth,
        joost,
        centre,
        3,
        10,
        "Dank je voor het laten weten. We houden haar vandaag extra in de gaten "
        "en laten haar slapen wanneer ze moe is.",
    )
    observation(
        "mila-helping",
        mila,
        fatima,
        centre,
        "social_emotional",
        5,
        16,
        "Mila hielp vandaag een jonger kindje met het aantrekken van de jas. Ze legde heel geduldig uit hoe de "
        "rits werkt.",
    )

    stairs = observation(
        "finn-stairs",
        finn,
        peter,
        home,
        "moving",
        6,
        18,
        "Finn klimt sinds deze week zelf de trap op, met één hand aan de leuning. "
        "Naar beneden gaat nog op zijn billen.",
    )
    reply(
        "finn-stairs-reply",
        stairs,
        lisa,
        centre,
        5,
        11,
        "Wat knap! Op de groep oefent hij op het klimrek; we laten hem voortaan ook zelf het trapje naar de "
        "glijbaan op.",
    )
    observation(
        "finn-fork",
        finn,
        lisa,
        centre,
        "eating",
        1,
        13,
        "Finn heeft vandaag voor het eerst zelf met een vork zijn hele bord leeggegeten.",
    )

    if not sam.sleeping:
        sam = Child.objects.get(pk=sam.pk)
        sam.routines = "Wordt om zeven uur wakker, eet om half zes en ligt om half acht in bed."
        sam.sleeping = "Slaapt tussen de middag met knuffelkonijn Flap en de deur op een kier."
        sam.eating = "Lust geen gekookte groente, wel rauwe worteltjes en komkommer. Geen allergieën."
        sam.comfort_items = "Knuffelkonijn Flap en het liedje 'Slaap kindje slaap'."
        sam.languages = "Nederlands, en Engels met opa en oma"
        sam.likes = "Auto's, de bouwhoek en buiten in de zandbak."
        sam._history_user = anne
        sam.save()


def seed_events_and_agreements(demo):
    """A welcome coffee morning and a parent evening with answers, house agreements, child agreements, offers."""
    users, children, today = demo.users, demo.children, demo.today
    boomgaard, anker = demo.centres
    anne, fatima, joost, peter, lisa = (
        users["ouder"],
        users["medewerker"],
        users["manager"],
        users["ouder2"],
        users["medewerker2"],
    )

    def at(days, hour, minute=0):
        return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, minute)))

    def event(centre, title, **fields):
        found, _created = Event.objects.get_or_create(centre=centre, title=title, defaults=fields)
        return found

    coffee = event(
        boomgaard,
        "Welkomstkoffie voor nieuwe ouders",
        kind=Event.Kind.COFFEE_MORNING,
        description="Kennismaken met elkaar en met de pedagogisch medewerkers, en alles vragen over de eerste "
        "weken. Kinderen zijn ook welkom.",
        starts_at=at(10, 9, 30),
        ends_at=at(10, 10, 30),
        location="Ouderkamer, Appelstraat 12",
        capacity=12,
        bring_someone=True,
        for_new_parents=True,
        new_parents_weeks=8,
        created_by=fatima,
    )
    evening = event(
        boomgaard,
        "Ouderavond: slapen en wennen",
        kind=Event.Kind.PARENT_EVENING,
        description="Hoe helpen we kinderen samen bij het slapen en bij het afscheid 's ochtends? "
        "Met een korte inleiding, daarna praten we in kleine groepjes.",
        starts_at=at(5, 19, 30),
        ends_at=at(5, 21, 30),
        location="De grote zaal",
        capacity=40,
        bring_someone=True,
        created_by=joost,
    )
    workshop = event(
        anker,
        "Workshop voorlezen",
        kind=Event.Kind.WORKSHOP,
        description="Een voorleescoach laat zien hoe je een prentenboek tot leven brengt.",
        starts_at=at(14, 19, 0),
        ends_at=at(14, 20, 30),
        location="Speellokaal",
        capacity=15,
        created_by=lisa,
    )
    # Ezra starts next month: his mother is invited to the welcome coffee morning.
    sanne = demo_user("nieuw@example.org", "Sanne Mulder")
    Guardianship.objects.get_or_create(user=sanne, child=children["ezra"])
    if not coffee.rsvps.filter(person=sanne).exists():
        coffee.respond(sanne, Rsvp.Answer.YES, party_size=2)
    if not evening.rsvps.filter(person=anne).exists():
        evening.respond(anne, Rsvp.Answer.YES, party_size=2)
    if not workshop.rsvps.filter(person=peter).exists():
        workshop.respond(peter, Rsvp.Answer.MAYBE)

    house_rules = [
        (
            boomgaard,
            CentreAgreement.Kind.DROP_IN,
            "Brengen en halen",
            "Brengen tussen 7.30 en 9.30 uur, halen tussen 16.30 en 18.30 uur. Later? Bel dan even naar de groep.",
            0,
        ),
        (
            boomgaard,
            CentreAgreement.Kind.HOUSE,
            "Afscheid nemen",
            "Neem rustig afscheid en blijf bij het brengen "
            "niet langer dan tien minuten: een kort, vast ritueel maakt het voor je kind makkelijker.",
            1,
        ),
        (
            boomgaard,
            CentreAgreement.Kind.HOUSE,
            "Koffie en thee",
            "In de ouderkamer staat 's ochtends koffie en "
            "thee klaar. Blijf gerust even om andere ouders te leren kennen.",
            2,
        ),
        (anker, CentreAgreement.Kind.DROP_IN, "Brengen en halen", "Brengen tot 9.00 uur, halen vanaf 15.00 uur.", 0),
    ]
    for centre, kind, title, text, position in house_rules:
        CentreAgreement.objects.get_or_create(
            centre=centre, title=title, defaults={"kind": kind, "text": text, "position": position, "updated_by": joost}
        )

    if not ChildAgreement.objects.filter(child=children["sam"], title="Afscheid bij het raam").exists():
        ChildAgreement.objects.create(
            child=children["sam"],
            topic=ChildAgreement.Topic.GOODBYE,
            title="Afscheid bij het raam",
            text="Anne geeft Sam bij de deur één knuffel en gaat dan weg. Fatima loopt met Sam naar het raam om "
            "te zwaaien. Niet terugkomen als hij huilt; de groep belt als het na een kwartier niet over is.",
            review_date=today + timedelta(weeks=6),
            status=ChildAgreement.Status.ACCEPTED,
            proposed_side=ChildAgreement.Side.HOME,
            proposed_by=anne,
            accepted_by=fatima,
            accepted_at=timezone.now(),
        )
    if not ChildAgreement.objects.filter(child=children["noor"], title="Slapen in de buggy").exists():
        ChildAgreement.objects.create(
            child=children["noor"],
            topic=ChildAgreement.Topic.SLEEPING,
            title="Slapen in de buggy",
            text="Noor valt thuis het best in slaap in de buggy. Zullen we dat op de groep ook doen zolang ze "
            "tandjes krijgt, buiten onder de overkapping?",
            review_date=today + timedelta(weeks=4),
            status=ChildAgreement.Status.PROPOSED,
            proposed_side=ChildAgreement.Side.CENTRE,
            proposed_by=joost,
        )

    offers = [
        (anne, boomgaard, ParentOffer.Kind.READING, "Ik lees graag voor, ook in het Engels.", {"mornings": True}),
        (
            anne,
            boomgaard,
            ParentOffer.Kind.EXPERTISE,
            "Ik ben logopedist en vertel graag over taalontwikkeling.",
            {"evenings": True},
        ),
        (peter, anker, ParentOffer.Kind.ODD_JOBS, "Klussen in de tuin of een kast ophangen.", {"weekends": True}),
    ]
    for person, centre, kind, description, moments in offers:
        ParentOffer.objects.get_or_create(
            person=person, centre=centre, kind=kind, defaults={"description": description, **moments}
        )
    reading = ParentOffer.objects.get(person=anne, centre=boomgaard, kind=ParentOffer.Kind.READING)
    HelpRequest.objects.get_or_create(
        offer=reading,
        event=coffee,
        defaults={"asked_by": fatima, "message": "Wil je tijdens de welkomstkoffie voorlezen voor de kinderen?"},
    )
