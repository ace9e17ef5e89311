"""Demo data of the partnership app, called by `seed_demo` (must be idempotent)."""


def seed(demo):
    """Observations, replies, tips, events and agreements for the demo centres."""
    seed_observations(demo)


def seed_observations(demo):
    """A few weeks of what Sam's, Noor's, Mila's and Finn's parents and staff saw, replied and tried."""
    import uuid
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from children.models import Child

    from .models import Observation, Reply, Side, TipOutcome

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
