import pytest

from api.models import ApiKey
from api.tests.calls import load_schema
from api.tests.key_factories import make_key


@pytest.fixture
def drafts_caller(client, db):
    """Calls made by the ``client`` fixture carry a real API key with the drafts scope."""
    _, full = make_key("Preview app", scope=ApiKey.Scope.DRAFTS)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {full}"
    return full


@pytest.fixture(scope="session")
def schema():
    """The API's OpenAPI schema, as it serves it."""
    return load_schema()
