"""API keys for tests: the saved key and the full text its holder sends."""

from api.models import ApiKey


def make_key(name="Partner app", scope=ApiKey.Scope.PUBLIC, revoked=False, created_by=None):
    key, full = ApiKey.issue(name, scope, created_by=created_by)
    if revoked:
        key.revoke()
    return key, full


def bearer(full):
    return {"HTTP_AUTHORIZATION": f"Bearer {full}"}
