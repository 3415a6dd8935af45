from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import form_data, make_article


def make_live_article(**fields):
    """A published live page whose coverage began ten minutes ago and runs on."""
    fields.setdefault("live_from", timezone.now() - timedelta(minutes=10))
    return make_article(**fields)


def desk_url(name, *args):
    """The address of one of the desk's live endpoints (``admin:live_update_<name>``)."""
    return reverse(f"admin:live_update_{name}", args=args)


def coverage_form(article, **fields):
    """The article's change form with its coverage fields posted as the admin's split date and time widgets."""
    data = form_data(article)
    for name in ("live_from", "live_until"):
        value = fields.pop(name, getattr(article, name))
        if value:
            local = timezone.localtime(value)
            data |= {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}
    return {**data, **fields}


def live_desk(response):
    """The desk's panel of live pages in progress, as HTML ("" when the desk has none)."""
    page = response.content.decode()
    start = page.find('<section class="module live-desk"')
    return page[start : page.index("</section>", start) + len("</section>")] if start >= 0 else ""


def make_updates(article, count, *, start=None, **fields):
    """``count`` shown updates on ``article``, one a minute from ``start`` (the last a minute old by default),
    written in bulk with the stream's counters as ``live.stream`` keeps them: for pages of thousands of updates."""
    from live.models import Stream, Update

    start = start or timezone.now() - timedelta(minutes=count + 1)
    stream, _ = Stream.objects.get_or_create(article=article)
    updates, text = [], fields.pop("body", None)
    for n in range(count):
        stream.seq += 1
        body = text or f"Update number {n}."
        posted_at = start + timedelta(minutes=n)
        updates.append(Update(article=article, body=body, body_html=f"<p>{body}</p>", seq=stream.seq,
                              posted_at=posted_at, **fields))  # fmt: skip
    made = Update.objects.bulk_create(updates)
    stream.shown_count += count
    stream.key_count += count if fields.get("key_event") else 0
    stream.changed_at = stream.last_posted_at = timezone.now()
    stream.save()
    return made


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
IMPLIED_END = {"p", "li", "option", "td", "tr", "th", "thead", "tbody", "dt", "dd"}


def html_issues(page):
    """Unclosed or stray end tags in ``page`` (elements whose end HTML lets one leave out are not counted)."""
    from html.parser import HTMLParser

    issues, open_tags = [], []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in VOID_ELEMENTS:
                open_tags.append(tag)

        def handle_endtag(self, tag):
            while open_tags and open_tags[-1] != tag and open_tags[-1] in IMPLIED_END:
                open_tags.pop()
            if open_tags and open_tags[-1] == tag:
                open_tags.pop()
            else:
                issues.append(f"stray </{tag}> inside {open_tags[-3:]}")

    Checker().feed(page)
    return issues + [f"unclosed <{tag}>" for tag in open_tags if tag not in IMPLIED_END]


# What makes a live page one readers cannot see, as ``pytest.mark.parametrize("fields", **HIDDEN_PAGES)`` arguments
# for ``Article.objects.filter(pk=...).update(**fields)``.
HIDDEN_PAGES = {
    "argvalues": [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"embargo_until": timezone.now() + timedelta(days=1)},
        {"status": Article.Status.WITHDRAWN},
        {"live_from": None},
    ],
    "ids": ["draft", "scheduled", "embargoed", "withdrawn", "not-live"],
}
