"""The survey's walk through the readers' side of newsletters: the sign-up and "send me a new link" forms with
over-long and broken addresses, NUL bytes, huge fields, list numbers out of range and sources from elsewhere;
the links in e-mails (confirm, preferences, unsubscribe) with garbage, cut and swapped tokens, wrong methods,
every action of the preferences page with odd values, and RFC 8058's one-click POST."""

import json
from urllib.parse import quote, urlencode

import survey_forms

MAKE_SUBSCRIBERS = """
import json
from newsletters import tokens
from newsletters.models import Newsletter, Subscriber, Subscription
briefing, _ = Newsletter.objects.get_or_create(slug="survey-briefing", defaults={"name": "Survey briefing"})
closed, _ = Newsletter.objects.get_or_create(slug="survey-closed", defaults={"name": "Survey closed", "is_open": False})
found = {"open": briefing.pk, "closed": closed.pk}
for name in ("reader", "eraser"):
    subscriber = Subscriber.objects.create(email=f"survey-{name}@example.com", status="active")
    Subscription.objects.create(subscriber=subscriber, newsletter=briefing, status="active")
    found[name] = {purpose: tokens.make(subscriber, purpose) for purpose in ("confirm", "preferences", "unsubscribe")}
print(json.dumps(found))
"""

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ADDRESSES = ["", "a" * 300 + "@example.com", "x@" + "a" * 70000 + ".com", "reader@example.com\x00", "\x00",
             "reader@exa mple.com", "reader@example.com\r\nBcc: x@y.z", "@", "a@", "@b", "a@b@c", "a@ü.example",
             "a@" + "ü" * 100 + ".example", "a@xn--.example", "a@.", "a" * 64 + "@" + "b" * 189,
             "<script>@example.com", "reader@example.com"]  # fmt: skip
LISTS = ["", "x", "-1", "0", "1.5", str(2**31), str(2**63), str(2**70), "9" * 5000, "\x00", "%00"]
SOURCES = ["", "/", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\x00", "/" + "x" * 100_000,
           "/a\r\nb", "\\\\evil", "/%zz"]  # fmt: skip
JUNK_TOKENS = ["x", "1", "1:abc", "1.key:abc:def", "." * 50, "%00", "a" * 10_000, "9" * 5000 + ".k:x:y", "ü" * 300,
               "%E2%80%A8", "..%2F..%2Fetc", "1.k:" + "A" * 300]  # fmt: skip


def post(survey, path, fields, label=None):
    """A form as a browser without a session sends it: no cookie, no CSRF token."""
    survey.cookies = {}
    return survey.request("POST", path, body=urlencode(fields, doseq=True).encode(), headers=FORM,
                          label=label or f"{path} {str(fields)[:80]}")  # fmt: skip


def walk_newsletters(survey, manage):
    survey.group = "newsletters: lists and subscribers made"
    made = manage("shell", "--no-imports", "-c", MAKE_SUBSCRIBERS, check=False)
    if made.returncode != 0:
        survey.failures.append((500, "newsletters", made.stderr[-500:]))
        return
    found = json.loads(made.stdout.strip().splitlines()[-1])
    _forms(survey, found)
    _links(survey, found)


def _forms(survey, found):
    survey.group = "newsletters: the sign-up and new-link forms"
    good = {"address": "survey-new@example.com", "list": [found["open"]], "source": "/"}
    for path in ("/newsletters/", "/newsletters/subscribe/", "/newsletters/link/"):
        for method in ("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"):
            survey.request(method, path, body=b"x=1", headers=FORM)
    for address in ADDRESSES:
        post(survey, "/newsletters/subscribe/", good | {"address": address}, label=f"subscribe {address[:40]!r}")
        post(survey, "/newsletters/link/", {"link-address": address}, label=f"new link {address[:40]!r}")
    for value in [*LISTS, found["closed"]]:
        post(survey, "/newsletters/subscribe/", good | {"list": [value]}, label=f"subscribe list={str(value)[:40]!r}")
    post(survey, "/newsletters/subscribe/", good | {"list": [found["open"]] * 2000}, label="subscribe 2000 lists")
    for source in SOURCES:
        post(survey, "/newsletters/subscribe/", good | {"source": source}, label=f"subscribe source={source[:40]!r}")
    for value in [*survey_forms.NUMBERS, *survey_forms.BROKEN_LINES.values(), "x" * 100_000]:
        post(survey, "/newsletters/subscribe/", {"address": value, "list": value, "source": value},
             label=f"subscribe every field {value[:30]!r}")  # fmt: skip
    for body, content_type in ((b"address=\xe9\xff&list=1", "application/x-www-form-urlencoded; charset=latin-1"),
                               (b"--x\r\nbroken", "multipart/form-data; boundary=x"), (b"{", "application/json"),
                               (b"address=a%00b%40c.d&list=%00", "application/x-www-form-urlencoded"),
                               (b"a" * 3_000_000, "application/x-www-form-urlencoded")):  # fmt: skip
        for path in ("/newsletters/subscribe/", "/newsletters/link/"):
            survey.request("POST", path, body=body, headers={"Content-Type": content_type},
                           label=f"{path} {content_type} {len(body)} bytes")  # fmt: skip


def _links(survey, found):
    survey.group = "newsletters: links in e-mails"
    reader, eraser = found["reader"], found["eraser"]
    for name in ("confirm", "preferences", "unsubscribe"):
        token = reader[name]
        swapped = reader["unsubscribe" if name != "unsubscribe" else "confirm"]
        for bad in [*JUNK_TOKENS, token[:-3], token + "x", token.upper(), swapped]:
            path = f"/newsletters/{name}/{quote(bad, safe='%')}/"
            survey.request("GET", path, label=f"{name} GET {bad[:40]!r}")
            post(survey, path, {"List-Unsubscribe": "One-Click", "action": "erase-confirmed"},
                 label=f"{name} POST {bad[:40]!r}")  # fmt: skip
        for method in ("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"):
            survey.request(method, f"/newsletters/{name}/{token}/", body=b"x=1", headers=FORM)
    preferences = f"/newsletters/preferences/{reader['preferences']}/"
    for field, values in (("format", ["", "pdf", "\x00", "x" * 100_000]), ("pause", ["", "keep", "-1", "365", "x"]),
                          ("list", LISTS), ("action", ["", "x" * 10_000, "\x00", "save", "erase"])):  # fmt: skip
        for value in values:
            post(survey, preferences, {"action": "save", "format": "html", "pause": "", field: value},
                 label=f"preferences {field}={value[:30]!r}")  # fmt: skip
    for action in ("export", "unsubscribe", "save"):
        post(survey, preferences, {"action": action, "list": [found["open"], found["closed"]], "format": "text"})
    post(survey, f"/newsletters/confirm/{reader['confirm']}/", {})
    for _ in range(2):
        survey.request("POST", f"/newsletters/unsubscribe/{reader['unsubscribe']}/",
                       body=b"List-Unsubscribe=One-Click", headers=FORM, label="one-click unsubscribe")  # fmt: skip
    erase = f"/newsletters/preferences/{eraser['preferences']}/"
    post(survey, erase, {"action": "erase"})
    post(survey, erase, {"action": "erase-confirmed"})
    for name in ("confirm", "preferences", "unsubscribe"):  # the address is gone: its links open nothing
        survey.request("GET", f"/newsletters/{name}/{eraser[name]}/")
        post(survey, f"/newsletters/{name}/{eraser[name]}/", {"action": "save", "List-Unsubscribe": "One-Click"})
