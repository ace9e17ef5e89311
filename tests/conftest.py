"""Named people of two centres, used across the suite.

Centre one (`centrum`): `kind` in group `groep`, its parent `ouder`, staff `medewerker` on that group,
`manager` of the centre, and `kind_buur`, another child of the same group with its own parent `ouder_buur`.
Centre two (`centrum_elders`): `kind_elders`, `ouder_elders`, `medewerker_elders`, `manager_elders`.
`trainer` works for the training provider.
"""

import pytest

from children.models import Membership

from .factories import (
    PASSWORD,
    CentreFactory,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    MembershipFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The production hasher costs about a second per user on a small machine; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def centrum(db):
    return CentreFactory(name="Kindcentrum De Boomgaard")


@pytest.fixture
def groep(centrum):
    return GroupFactory(centre=centrum, name="Dolfijnen")


@pytest.fixture
def andere_groep(centrum):
    return GroupFactory(centre=centrum, name="Vlinders")


@pytest.fixture
def kind(groep):
    return ChildFactory(group=groep, first_name="Jip")


@pytest.fixture
def ouder(kind):
    user = UserFactory(email="ouder@example.org", name="Anne de Vries")
    GuardianshipFactory(user=user, child=kind)
    return user


@pytest.fixture
def kind_buur(groep):
    return ChildFactory(group=groep, first_name="Mila")


@pytest.fixture
def ouder_buur(kind_buur):
    user = UserFactory(email="buur@example.org", name="Bram Bakker")
    GuardianshipFactory(user=user, child=kind_buur)
    return user


@pytest.fixture
def medewerker(groep):
    user = UserFactory(email="medewerker@example.org", name="Fatima Yilmaz")
    MembershipFactory(user=user, centre=groep.centre, role=Membership.Role.STAFF, groups=[groep])
    return user


@pytest.fixture
def manager(centrum):
    user = UserFactory(email="manager@example.org", name="Joost van Dam")
    MembershipFactory(user=user, centre=centrum, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def centrum_elders(db):
    return CentreFactory(name="IKC Het Anker")


@pytest.fixture
def groep_elders(centrum_elders):
    return GroupFactory(centre=centrum_elders, name="Egeltjes")


@pytest.fixture
def kind_elders(groep_elders):
    return ChildFactory(group=groep_elders, first_name="Finn")


@pytest.fixture
def ouder_elders(kind_elders):
    user = UserFactory(email="ouder2@example.org", name="Peter Visser")
    GuardianshipFactory(user=user, child=kind_elders)
    return user


@pytest.fixture
def medewerker_elders(groep_elders):
    user = UserFactory(email="medewerker2@example.org", name="Lisa de Boer")
    MembershipFactory(user=user, centre=groep_elders.centre, role=Membership.Role.STAFF, groups=[groep_elders])
    return user


@pytest.fixture
def manager_elders(centrum_elders):
    user = UserFactory(email="manager2@example.org", name="Ellen Smit")
    MembershipFactory(user=user, centre=centrum_elders, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def trainer(db):
    return UserFactory(email="trainer@example.org", name="Marieke Kok", is_trainer=True)


@pytest.fixture
def everyone(ouder, ouder_buur, medewerker, manager, ouder_elders, medewerker_elders, manager_elders, trainer):
    """All named people, for sweeps over roles."""
    return {
        "ouder": ouder,
        "ouder_buur": ouder_buur,
        "medewerker": medewerker,
        "manager": manager,
        "ouder_elders": ouder_elders,
        "medewerker_elders": medewerker_elders,
        "manager_elders": manager_elders,
        "trainer": trainer,
    }
