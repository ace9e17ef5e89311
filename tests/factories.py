"""factory-boy factories for the foundation models; each app adds its own next to its tests."""

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from accounts.models import Invitation, User
from children.models import Centre, Child, Group, Guardianship, Membership, Organisation

PASSWORD = "een-goed-wachtwoord-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")


class CentreFactory(DjangoModelFactory):
    class Meta:
        model = Centre

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Kindcentrum {n}")
    contact_email = "centrum@example.org"


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    centre = factory.SubFactory(CentreFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.Faker("date_between", start_date="-4y", end_date="-6m")
    group = factory.SubFactory(GroupFactory)
    start_date = factory.Faker("date_between", start_date="-6m", end_date="today")


class GuardianshipFactory(DjangoModelFactory):
    class Meta:
        model = Guardianship

    user = factory.SubFactory(UserFactory)
    child = factory.SubFactory(ChildFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    role = Membership.Role.STAFF

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.add(*extracted)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"uitgenodigd{n}@example.org")
    role = Invitation.Role.PARENT
    centre = factory.LazyAttribute(lambda o: o.child.group.centre if o.child else CentreFactory())
    child = factory.SubFactory(ChildFactory)
