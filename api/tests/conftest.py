import pytest

from api import access
from api.tests.calls import load_schema


@pytest.fixture
def drafts_caller(monkeypatch):
    """Calls made as a key with the drafts scope (``api.access.check`` answers so for every request)."""
    monkeypatch.setattr(access, "check", lambda request: access.Caller(key="test-key", drafts=True))


@pytest.fixture(scope="session")
def schema():
    """The API's OpenAPI schema, as it serves it."""
    return load_schema()
