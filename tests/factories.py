"""factory_boy factories shared by every test module."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from chartering.models import Charter, Deliverable, RaciAssignment, ScopeItem
from initiatives import roles
from initiatives.models import CustomerSegment, Department, Initiative, Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Department {n}")


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerSegment
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Segment {n}")


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative {n}")
    problem = "Customers call twice about the same issue."
    sponsor = factory.SubFactory(UserFactory, role=roles.EXECUTIVE)
    leader = factory.SubFactory(UserFactory, role=roles.CHANGE_LEADER)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory, role=roles.TEAM_MEMBER)
    role = "Analyst"
    department = factory.SubFactory(DepartmentFactory)


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    initiative = factory.SubFactory(InitiativeFactory)
    problem_area = "Repeat contacts"
    ground_rules = "Data beats opinion"


class ScopeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeItem

    charter = factory.SubFactory(CharterFactory)
    kind = "in"
    text = factory.Sequence(lambda n: f"Scope item {n}")


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    charter = factory.SubFactory(CharterFactory)
    name = factory.Sequence(lambda n: f"Deliverable {n}")


class RaciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaciAssignment

    deliverable = factory.SubFactory(DeliverableFactory)
    user = factory.SubFactory(UserFactory)
    role = "R"
