import pytest
from django.contrib.auth.models import Group, User

from articles.models import Author


def _staff(username, group):
    user = User.objects.create_user(username, password="pw-not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def writer(db):
    user = _staff("wendy", "Writer")
    Author.objects.create(name="Wendy Writer", user=user)
    return user


@pytest.fixture
def other_writer(db):
    return _staff("oscar", "Writer")


@pytest.fixture
def editor(db):
    return _staff("eddie", "Editor")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login
