"""The survey's walk through live coverage: a live page made with three updates (one deleted, one waiting for
approval), then its reader surfaces (the poll answer, the feeds of updates, the permalinks) with odd addresses,
validators, methods and query strings, and the desk's JSON endpoints with garbage in every field, stale and
forged versions, and ids that name nothing or another page's update."""

import json
from urllib.parse import quote

import survey_forms

MAKE_LIVE_PAGE = """
import json
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from articles.models import Article
from live import stream
chief = User.objects.get(username="chief")
article = Article.objects.published().order_by("pk").first()
Article.objects.filter(pk=article.pk).update(live_from=timezone.now() - timedelta(minutes=30), live_moderated=True)
article.refresh_from_db()
shown = stream.post(article, chief, body="First **update**.", key_event=True, pinned=True)
gone = stream.post(article, chief, body="Posted by mistake.")
stream.delete(gone, chief, version=gone.version)
other = Article.objects.published().exclude(pk=article.pk).order_by("pk").first()
print(json.dumps({"slug": article.slug, "pk": article.pk, "shown": shown.pk, "gone": gone.pk, "other": other.slug}))
"""

JUNK = ["x", "-1", "0", str(2**31), str(2**63), str(2**70), "1.5", "%00", "..%2F", "%E2%80%A8", "ü" * 300]
VALIDATORS = [
    {"If-None-Match": '"nope"'},
    {"If-None-Match": "*"},
    {"If-None-Match": "W/" + "x" * 9000},
    {"If-Modified-Since": "Sun, 06 Nov 1994 08:49:37 GMT"},
    {"If-Modified-Since": "garbage"},
    {"If-Modified-Since": "Fri, 31 Dec 9999 23:59:59 GMT"},
    {"Accept": "application/json;q=0, */*;q=0"},
]
ODD_VALUES = [*survey_forms.NUMBERS, *survey_forms.BROKEN_LINES.values(), "x" * 100_000, "\x00", "2026-02-30T25:61"]
FIELDS = ["body", "headline", "correction", "posted_at", "authors", "key_event", "pinned", "version"]


def walk_live(survey, manage):
    survey.group = "live: a live page made"
    made = manage("shell", "--no-imports", "-c", MAKE_LIVE_PAGE, check=False)
    if made.returncode != 0:
        survey.failures.append((500, "live page", made.stderr[-500:]))
        return
    page = json.loads(made.stdout.strip().splitlines()[-1])
    slug, pk = quote(page["slug"]), page["pk"]
    _readers(survey, slug, page)
    _desk(survey, pk, page)


def _readers(survey, slug, page):
    survey.group = "live: poll, feeds and permalinks, as a reader"
    survey.cookies = {}
    base = f"/articles/{slug}"
    surfaces = [f"{base}/live/updates.json", *(f"{base}/live/feed/{kind}/" for kind in ("rss", "atom", "json")),
                *(f"{base}/updates/{page[which]}/" for which in ("shown", "gone"))]  # fmt: skip
    for path in surfaces:
        for headers in VALIDATORS:
            survey.request("GET", path, headers=headers)
        for query in ("?page=0", "?page=-1", f"?page={2**70}", "?since=x", "?seq=-1&page=2", "?%zz=%00"):
            survey.request("GET", path + query)
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
            survey.request(method, path, body=b"{}", headers={"Content-Type": "application/json"})
    for junk in JUNK:
        survey.request("GET", f"{base}/updates/{quote(junk)}/")
        survey.request("GET", f"/articles/{quote(junk)}/live/updates.json")
        survey.request("GET", f"/articles/{quote(junk)}/live/feed/atom/")
    # Not a live page: its poll, feeds and an update of another page's.
    other = f"/articles/{quote(page['other'])}"
    for path in (f"{other}/live/updates.json", f"{other}/live/feed/rss/", f"{other}/updates/{page['shown']}/"):
        survey.request("GET", path)
    for query in ("", "?page=2", "?page=999999", "?page=x"):
        survey.request("GET", f"{base}/{query}")


def _desk(survey, pk, page):
    survey.group = "live: the desk's endpoints, garbage in each field"
    turn = survey_forms.Turns(survey, 40)
    turn()
    stream_url = f"/admin/live/update/page/{pk}/"
    survey.request("GET", stream_url)
    for junk in JUNK:
        survey.request("GET", f"/admin/live/update/page/{quote(junk)}/")
        survey.request("GET", f"/admin/live/update/{quote(junk)}/revisions/")
    update = page["shown"]
    actions = [f"/admin/live/update/{update}/{name}/" for name in ("edit", "approve", "remove", "break-out")]
    for field in FIELDS:
        for value in ODD_VALUES:
            turn()
            survey_forms.post(survey, stream_url + "post/", {"body": "Survey.", field: value},
                              label=f"live post {field}={value[:20]!r}")  # fmt: skip
            survey_forms.post(survey, actions[0], {"version": "1", field: value},
                              label=f"live edit {field}={value[:20]!r}")  # fmt: skip
    for path in actions + [f"/admin/live/update/{page['gone']}/{name}/" for name in ("edit", "approve", "remove")]:
        for version in ("", "x", "-1", "0", str(2**70), "999"):
            turn()
            survey_forms.post(survey, path, {"version": version, "body": "Again."}, label=f"{path} version={version}")
        survey.request("GET", path)
    for junk in JUNK:
        turn()
        survey_forms.post(survey, f"/admin/live/update/{quote(junk)}/edit/", {"version": "1", "body": "x"})
        survey_forms.post(survey, f"/admin/live/update/page/{quote(junk)}/post/", {"body": "x"})
