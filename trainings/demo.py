"""Demo data of the trainings app, called by `seed_demo` (must be idempotent)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from children.models import Membership

from .models import (
    Booking,
    BookingChange,
    IntakeRequest,
    Offering,
    Participant,
    PreferredDate,
    ProgrammeStep,
    Theme,
    TrainingSession,
)
from .services import schedule_reminders

TRAINING = {
    "slug": "samen-opvoeden",
    "kind": Offering.Kind.TRAINING,
    "title": "Samen opvoeden: ouders en professionals als partners",
    "summary": (
        "Een incompanytraining voor pedagogisch medewerkers én ouders samen: elkaar beter leren kennen, "
        "elkaar begrijpen en samen optrekken in de opvoeding van het kind."
    ),
    "description": (
        "Ouders kennen hun kind het best; pedagogisch medewerkers zien het kind in de groep en brengen hun "
        "vakkennis mee. Niet de een weet het beter dan de ander, maar samen weet je het meest.\n"
        "In deze training zitten ouders en professionals samen aan tafel. We werken met wat de deelnemers "
        "zelf meemaken bij het brengen en halen, in oudergesprekken en in de groep."
    ),
    "audience": "Een gemengde groep van ouders en pedagogisch professionals (8 tot 24 deelnemers)",
    "duration": "Een kennismakingsgesprek en vier bijeenkomsten van 2,5 uur",
    "position": 0,
}

STEPS = [
    (
        "Kennismaking met management, medewerkers en ouders",
        "Een introductiegesprek met het management, pedagogisch medewerkers en een vertegenwoordiging van "
        "ouders (bijvoorbeeld de oudercommissie): wat speelt er, en wat willen jullie samen bereiken?",
    ),
    (
        "Inventarisatie van leerwensen",
        "Alle deelnemers vullen vooraf een korte vragenlijst in: wat wil je leren, welke situatie vond je "
        "lastig, wat wil je oefenen? De trainer stemt het programma daarop af.",
    ),
    (
        "Activeren van wat je al weet",
        "Over de ontwikkeling van kinderen en over gespreksvaardigheden: ouders en professionals delen hun "
        "kennis en ervaring met elkaar.",
    ),
    (
        "Nieuwe kennis en praktijkvoorbeelden",
        "Korte inleidingen, filmpjes en herkenbare voorbeelden uit de kinderopvang, thuis en op de groep.",
    ),
    (
        "Oefenen in en buiten de training",
        "Oefenen met situaties uit de eigen praktijk tijdens de bijeenkomsten, en kleine opdrachten voor "
        "tussendoor: bij het brengen en halen, of in het volgende oudergesprek.",
    ),
]

THEMES = [
    (
        "De ontwikkeling van het kind",
        "Wat kun je verwachten van een baby, dreumes en peuter, en hoe help je de ontwikkeling thuis en op de "
        "groep op weg?",
    ),
    (
        "Pedagogisch partnerschap",
        "Ouders en professionals als gelijkwaardige partners, elk met een eigen deskundigheid over het kind.",
    ),
    (
        "Een gedeeld speelveld",
        "Rollen, verwachtingen en afspraken: wat doet de opvang, wat doen ouders, en wat doe je samen?",
    ),
    ("Waarderende gesprekken", "Gesprekken die uitgaan van wat goed gaat en van wat het kind nodig heeft."),
    ("Feedback geven en ontvangen", "Hoe breng je iets lastigs ter sprake, en hoe ga je om met kritiek?"),
    (
        "Ik-boodschappen en actief luisteren",
        "Zeggen wat je ziet en wat het met je doet zonder te oordelen, en echt luisteren naar de ander.",
    ),
]

ACTIVITIES = [
    {
        "slug": "ouderavond",
        "kind": Offering.Kind.PARENT_EVENING,
        "title": "Ouderavond op maat",
        "summary": (
            "Een interactieve ouderavond over een thema dat bij je ouders leeft, zoals slapen, eten, "
            "grenzen stellen of taal."
        ),
        "audience": "Ouders",
        "duration": "Een avond van 1,5 uur",
        "position": 10,
    },
    {
        "slug": "themabijeenkomst",
        "kind": Offering.Kind.THEME_MEETING,
        "title": "Themabijeenkomst voor ouders en professionals samen",
        "summary": (
            "Ouders en pedagogisch medewerkers gaan samen in gesprek over één thema, bijvoorbeeld wennen op "
            "de opvang of de overstap naar de basisschool."
        ),
        "audience": "Ouders en pedagogisch medewerkers",
        "duration": "2 uur",
        "position": 20,
    },
    {
        "slug": "workshop-studiedag",
        "kind": Offering.Kind.WORKSHOP,
        "title": "Workshop op een studiedag",
        "summary": (
            "Een workshop voor het hele team op een studiedag, bijvoorbeeld over oudergesprekken of over "
            "feedback geven en ontvangen."
        ),
        "audience": "Pedagogisch medewerkers en leidinggevenden",
        "duration": "Een dagdeel",
        "position": 30,
    },
    {
        "slug": "lezing-ouders",
        "kind": Offering.Kind.LECTURE,
        "title": "Lezing voor ouders",
        "summary": (
            "Een lezing over opvoeden en de ontwikkeling van jonge kinderen, met ruimte voor vragen. Ook "
            "geschikt voor grotere groepen."
        ),
        "audience": "Ouders",
        "duration": "1 tot 1,5 uur",
        "position": 40,
    },
    {
        "slug": "orientatiegesprek",
        "kind": Offering.Kind.ORIENTATION,
        "title": "Oriëntatiegesprek voor management of HR",
        "summary": (
            "Een vrijblijvend gesprek met management of HR over de mogelijkheden: wat past bij je organisatie "
            "en je ouders?"
        ),
        "audience": "Management en HR",
        "duration": "Een uur",
        "position": 50,
    },
]


def seed(demo):
    """The training catalogue, an intake request, and bookings for the demo organisation."""
    training = seed_catalogue()
    seed_intake_request(training)
    seed_bookings(demo, training)


def seed_catalogue():
    training, created = Offering.objects.get_or_create(slug=TRAINING["slug"], defaults=TRAINING)
    if created:
        ProgrammeStep.objects.bulk_create(
            ProgrammeStep(offering=training, position=n, title=title, description=text)
            for n, (title, text) in enumerate(STEPS, start=1)
        )
        Theme.objects.bulk_create(
            Theme(offering=training, position=n, title=title, description=text)
            for n, (title, text) in enumerate(THEMES, start=1)
        )
    for activity in ACTIVITIES:
        Offering.objects.get_or_create(slug=activity["slug"], defaults=activity)
    return training


def seed_intake_request(training):
    IntakeRequest.objects.get_or_create(
        submission_key="demo-intake-zonnetje",
        defaults={
            "name": "Karin Jansen",
            "email": "karin.jansen@example.org",
            "phone": "06 12345678",
            "organisation": "Kinderopvang Het Zonnetje",
            "role": IntakeRequest.Role.MANAGER,
            "interest": training,
            "question": (
                "Wij merken dat de gesprekken met ouders bij het halen vaak gehaast zijn. We zoeken een training "
                "voor ons team en een paar ouders uit de oudercommissie. Kun je vertellen wat de mogelijkheden "
                "zijn en wat het kost?"
            ),
            "contact_method": IntakeRequest.ContactMethod.PHONE,
            "contact_time": "Dinsdag of donderdag in de ochtend",
            "consent_at": timezone.now(),
            "receipt_sent_at": timezone.now(),  # demo data: no receipt to send
        },
    )


def _at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_bookings(demo, training):
    manager, trainer = demo.users["manager"], demo.users["trainer"]
    boomgaard, anker = demo.centres[0], demo.centres[1]
    # The demo manager books for both centres, so manages the organisation as a whole.
    Membership.objects.filter(user=manager, role=Membership.Role.MANAGER).update(organisation_wide=True)

    booking, created = Booking.objects.get_or_create(
        submission_key="demo-booking-boomgaard",
        defaults={
            "organisation": demo.organisation,
            "centre": boomgaard,
            "offering": training,
            "status": Booking.Status.CONFIRMED,
            "trainer": trainer,
            "requested_by": manager,
            "preferred_time": "Dinsdag- of donderdagavond, vanaf 19:30",
            "expected_parents": 8,
            "expected_staff": 10,
            "location": boomgaard.address or "Kindcentrum De Boomgaard",
            "goals": (
                "Dat ouders en medewerkers elkaar beter weten te vinden, ook als er iets lastigs is. We willen "
                "dat oudergesprekken meer een gesprek worden en minder een verslag."
            ),
        },
    )
    if created:
        first = demo.today + timedelta(days=21)
        PreferredDate.objects.bulk_create(
            PreferredDate(booking=booking, date=first + timedelta(days=n * 7), position=n) for n in range(3)
        )
        for n in range(4):
            day = first + timedelta(days=n * 14)
            TrainingSession.objects.create(booking=booking, starts_at=_at(day, 19, 30), ends_at=_at(day, 22))
        BookingChange.objects.create(booking=booking, status=Booking.Status.REQUESTED, by=manager)
        BookingChange.objects.create(booking=booking, status=Booking.Status.PLANNING, by=trainer)
        BookingChange.objects.create(
            booking=booking, status=Booking.Status.CONFIRMED, by=trainer, note="Vier avonden, om de twee weken."
        )
        Participant.objects.create(
            booking=booking,
            user=demo.users["medewerker"],
            email=demo.users["medewerker"].email,
            name=demo.users["medewerker"].name,
            role=Participant.Role.PROFESSIONAL,
            invited_by=manager,
            wants_to_learn="Hoe ik een ouder op een fijne manier vertel dat het kind een moeilijke dag had.",
            hard_situation=(
                "Een vader die bij het halen boos werd omdat zijn zoon niet had geslapen. Ik schoot in de verdediging."
            ),
            wants_to_practise="Rustig blijven en eerst luisteren.",
            answered_at=timezone.now(),
        )
        Participant.objects.create(
            booking=booking,
            user=demo.users["ouder"],
            email=demo.users["ouder"].email,
            name=demo.users["ouder"].name,
            role=Participant.Role.PARENT,
            invited_by=manager,
        )
        schedule_reminders(booking)

    requested, created = Booking.objects.get_or_create(
        submission_key="demo-booking-anker",
        defaults={
            "organisation": demo.organisation,
            "centre": anker,
            "offering": Offering.objects.get(slug="lezing-ouders"),
            "requested_by": manager,
            "preferred_time": "Een avond, na 19:00",
            "expected_parents": 30,
            "expected_staff": 4,
            "location": anker.address or "IKC Het Anker",
            "goals": (
                "Veel ouders hebben vragen over slapen en over driftbuien. Graag een lezing met ruimte voor vragen."
            ),
        },
    )
    if created:
        PreferredDate.objects.create(booking=requested, date=demo.today + timedelta(days=45), position=0)
        PreferredDate.objects.create(booking=requested, date=demo.today + timedelta(days=52), position=1)
        BookingChange.objects.create(booking=requested, status=Booking.Status.REQUESTED, by=manager)
