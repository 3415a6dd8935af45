"""The survey's walk through the content API, led by its own OpenAPI schema (every path it lists): each query
parameter with malformed dates, cursors, limits, numbers out of range, huge and Unicode values; each path
parameter likewise; keys that are malformed, unknown, revoked or sent in odd headers; conditional and CORS
headers; every method; and a burst past the anonymous rate limit (429s while the cache counts; never a 5xx)."""

import json
import re
from urllib.parse import quote, urlencode

import survey_forms

MAKE_KEYS = """
import json
from api.models import ApiKey
found = {scope: ApiKey.issue(f"Survey {scope}", scope)[1] for scope in ("read-public", "read-drafts")}
found["revoked"] = ApiKey.issue("Survey revoked")[1]
ApiKey.objects.filter(name="Survey revoked").update(revoked_at="2026-01-01T00:00:00Z")
print(json.dumps(found))
"""

SCHEMA = "/api/v1/openapi.json"
VALUES = ["", "-1", "0", "1.5", "abc", str(2**31), str(2**63), str(2**70), "9" * 5000, "x" * 20_000, "\x00",
          "%00", "' OR 1=1--", "<script>x</script>", "🙂" * 500, "\u202e\u2028", "..%2F..%2Fetc", "null", "[]",
          "{}", "true", " ", "a,b,,", *survey_forms.BROKEN_LINES.values()]  # fmt: skip
DATES = ["2026-13-45", "2026-02-30T25:61:00", "0000-00-00", "9999-12-31T23:59:59+99:00", "10000-01-01",
         "-0001-01-01", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00+14:00", "1e9", "yesterday",
         "2026-01-01T00:00:00.1234567890Z", "2026-W01-1"]  # fmt: skip
CURSORS = ["x", "=", "AAAA", "eyJ9", "e30=", "bnVsbA==", "W10=", "eyJpZCI6IC0xfQ==", "eyJwIjogIngiLCAiaWQiOiBbXX0=",
           "%FF%FE", "Zm9v" * 5000, "eyJpZCI6MX0" + "=" * 300]  # fmt: skip
KEY_HEADERS = [
    {"Authorization": "Bearer"}, {"Authorization": "Bearer "}, {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer nr_000000000000_" + "A" * 43}, {"Authorization": "Bearer " + "x" * 8000},
    {"Authorization": "Bearer nr_\x7f"}, {"Authorization": "Bearer 🙂".encode()}, {"Authorization": "bearer\tx"},
    {"X-API-Key": ""}, {"X-API-Key": "ключ".encode()}, {"X-API-Key": "%00"}, {"Authorization": "Digest x=y"},
]  # fmt: skip
OTHER_HEADERS = [
    {"If-None-Match": '"' * 500}, {"If-None-Match": "*"}, {"If-None-Match": 'W/"x", "y", ,'},
    {"If-Modified-Since": "yesterday"}, {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
    {"Origin": "https://evil.example"}, {"Origin": "null"}, {"Origin": "x" * 5000},
    {"Access-Control-Request-Method": "DELETE", "Origin": "https://app.example"}, {"Accept": "application/xml"},
    {"Accept": "*/*;q=x,,"}, {"Accept-Encoding": "gzip;q=x, br, *"}, {"Range": "bytes=-x"},
]  # fmt: skip
METHODS = ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "PROPFIND")


def walk_api(survey, manage):
    survey.group = "API: keys made, schema read"
    made = manage("shell", "--no-imports", "-c", MAKE_KEYS, check=False)
    if made.returncode != 0:
        survey.failures.append((500, "api keys", made.stderr[-500:]))
        return
    keys = json.loads(made.stdout.strip().splitlines()[-1])
    status, body = survey.request("GET", SCHEMA)
    if status != 200:
        survey.failures.append((status if status >= 500 else 599, "GET", f"{SCHEMA}: no schema"))
        return
    paths = json.loads(body)["paths"]
    auth = {"Authorization": f"Bearer {keys['read-drafts']}"}
    samples = _samples(survey, paths, auth)
    _parameters(survey, paths, samples, auth)
    _keys_and_headers(survey, paths, samples, keys)


def _samples(survey, paths, auth):
    """Real values for each list's detail addresses: {list path: the first row's fields}."""
    found = {}
    for path in paths:
        if "{" in path:
            continue
        status, body = survey.request("GET", path, headers=auth)
        try:
            items = json.loads(body) if status == 200 else {}
        except ValueError:
            continue
        if isinstance(items, dict):
            items = next((value for value in items.values() if isinstance(value, list)), [])
        row = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
        found[path.rstrip("/")] = {name: str(value) for name, value in row.items() if isinstance(value, (int, str))}
    return found


def _fill(path, samples, replace=None):
    """``path`` with its parameters filled from the row its list gave, or with ``replace`` = (name, value)."""
    row = samples.get(path.split("{", 1)[0].rstrip("/"), {})

    def value(match):
        name = match.group(1).split(":")[-1]
        if replace is not None and name == replace[0]:
            return quote(replace[1], safe="")
        return quote(row.get(name, row.get("id" if name.endswith("id") else "slug", "1")), safe="")

    return re.sub(r"\{([^}]+)\}", value, path)


def _parameters(survey, paths, samples, auth):
    survey.group = "API: filters, dates, cursors, limits, path parameters"
    for path, operations in paths.items():
        parameters = (operations.get("get") or {}).get("parameters", [])
        for parameter in parameters:
            name, where = parameter["name"], parameter.get("in")
            fmt = json.dumps(parameter.get("schema", {}))
            values = (
                VALUES + (DATES if "date" in fmt or "since" in name else []) + (CURSORS if "cursor" in name else [])
            )
            for value in values:
                label = f"{path} {name}={value[:30]!r}"
                if where == "path":
                    survey.request("GET", _fill(path, samples, (name, value)), headers=auth, label=label)
                elif where == "query":
                    query = urlencode({name: value})
                    survey.request("GET", f"{_fill(path, samples)}?{query}", headers=auth, label=label)
        filled = _fill(path, samples)
        every = "&".join(f"{parameter['name']}=%00" for parameter in parameters if parameter.get("in") == "query")
        survey.request("GET", f"{filled}?{every}&{every}&%zz=%zz&&&=", headers=auth, label=f"{path} every=%00")
        survey.request("GET", f"{filled}?" + "&".join(f"p{n}=1" for n in range(1500)), headers=auth)


def _keys_and_headers(survey, paths, samples, keys):
    survey.group = "API: keys, headers, methods"
    for path in paths:
        filled = _fill(path, samples)
        for headers in KEY_HEADERS:
            survey.request("GET", filled, headers=headers, label=f"{path} {str(headers)[:60]}")
        for name in ("read-public", "read-drafts", "revoked"):
            survey.request("GET", filled, headers={"X-API-Key": keys[name]}, label=f"{path} {name} key")
        two = {"Authorization": f"Bearer {keys['read-public']}", "X-API-Key": keys["read-drafts"]}
        survey.request("GET", filled, headers=two, label=f"{path} two keys")
        for headers in OTHER_HEADERS:
            survey.request("GET", filled, headers={"X-API-Key": keys["read-public"], **headers},
                           label=f"{path} {str(headers)[:60]}")  # fmt: skip
        for method in METHODS:
            survey.request(method, filled, body=b'{"x": 1}', headers={"Content-Type": "application/json"},
                           label=f"{method} {path}")  # fmt: skip
    survey.group = "API: a burst past the anonymous limit"  # 429s, unless the shared cache is down (no count)
    first = next(iter(paths))
    for _ in range(150):
        survey.request("GET", _fill(first, samples))
