"""Every admin page an editor or a writer works in, at a desktop's and a phone's width: axe-core finds nothing
against WCAG 2.1 A and AA, the page logs no console error, and nothing is wider than the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Banner, KindOfWork, Pin, Section
from articles.tests.factories import draft_by, make_article, make_author, make_picture
from live import stream
from newsletters.models import Delivery, Edition, Subscriber
from newsletters.tests.factories import make_edition, make_newsletter, make_subscriber
from tests.browsing import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}


@pytest.fixture
def newsroom(writer, editor):
    """A little of everything the admin lists, so each page shows rows, not its empty state."""
    politics = Section.objects.create(name="Politics", position=1)
    Section.objects.create(name="Harbour", position=2)
    picture = make_picture((1200, 800), alt="Cranes at dawn", caption="The southern breakwater", credit="Staff")
    author = make_author("Amy Lee")
    published = make_article(
        title="Ferry service resumes",
        body="## The crossing\n\nThe **harbour** reopened.\n\n- one\n- two\n\n> A quote.",
        section=politics,
        authors=[author],
        tags=["Coast", "Harbour works"],
        lead_image=picture,
        lead_image_alt="Cranes at dawn",
    )
    Pin.objects.create(article=published, place=Pin.Place.LEAD, position=1)
    now = timezone.now()
    Article.objects.filter(pk=published.pk).update(live_from=now - timedelta(hours=1))  # a live page, with its panel
    published.refresh_from_db()
    update = stream.post(published, editor, body="The first **crossing** left at six.", key_event=True)
    stream.edit(update, editor, version=1, body="The first **crossing** left at ten past six.")
    banner = Banner.objects.create(
        text="Storm warning tonight",
        article=published,
        starts_at=now - timedelta(hours=1),
        expires_at=now + timedelta(hours=5),
    )
    draft = draft_by(writer, title="Council budget vote", body="The council met.", section=politics)
    briefing = make_newsletter("Morning briefing", slug="morning", cadence="Weekday mornings")
    readers = [make_subscriber(briefing) for _ in range(3)]
    make_subscriber(briefing, status=Subscriber.Status.PENDING)
    issue = make_edition(briefing, [published, draft], intro="Good **morning**.")
    gone = make_article(title="A story taken down", status=Article.Status.WITHDRAWN, authors=[author])
    sent = make_edition(briefing, [published], subject="Yesterday's briefing", status=Edition.Status.SENT,
                        started_at=now - timedelta(hours=2), finished_at=now - timedelta(hours=1), total=3,
                        rendered_articles=[published.pk, gone.pk])  # fmt: skip
    for reader, status in zip(readers, ["sent", "sent", "failed"], strict=True):
        Delivery.objects.create(edition=sent, subscriber=reader, status=status, sent_at=now,
                                error="550 5.1.1 No such user" if status == "failed" else "")  # fmt: skip
    return {
        "published": published,
        "draft": draft,
        "picture": picture,
        "section": politics,
        "author": author,
        "banner": banner,
        "update": update,
        "newsletter": briefing,
        "subscriber": readers[2],
        "issue": issue,
        "sent": sent,
    }


def editor_pages(newsroom):
    published, picture = newsroom["published"], newsroom["picture"]
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[published.pk]),
        reverse("admin:articles_article_revisions", args=[published.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_image_change", args=[picture.pk]),
        reverse("admin:articles_image_upload"),
        f"{reverse('admin:articles_image_describe')}?ids={picture.pk}",
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_section_change", args=[newsroom["section"].pk]),
        reverse("admin:articles_kindofwork_changelist"),
        reverse("admin:articles_kindofwork_change", args=[KindOfWork.objects.get(name="Opinion").pk]),
        reverse("admin:articles_pin_board"),
        reverse("admin:articles_pin_add"),
        reverse("admin:articles_banner_changelist"),
        reverse("admin:articles_banner_add"),
        reverse("admin:articles_banner_change", args=[newsroom["banner"].pk]),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:articles_article_change", args=[newsroom["draft"].pk]),
        reverse("admin:articles_sitesettings_changelist"),
        reverse("admin:articles_author_changelist"),
        reverse("admin:articles_author_change", args=[newsroom["author"].pk]),
        reverse("admin:desk_preferences"),
        reverse("admin:live_update_changelist"),
        reverse("admin:live_update_change", args=[newsroom["update"].pk]),
        reverse("admin:live_update_revisions", args=[newsroom["update"].pk]),
        *newsletter_pages(newsroom),
    ]


def newsletter_pages(newsroom):
    issue, sent = newsroom["issue"], newsroom["sent"]
    return [
        reverse("admin:newsletters_newsletter_changelist"),
        reverse("admin:newsletters_newsletter_add"),
        reverse("admin:newsletters_newsletter_change", args=[newsroom["newsletter"].pk]),
        reverse("admin:newsletters_subscriber_changelist"),
        reverse("admin:newsletters_subscriber_change", args=[newsroom["subscriber"].pk]),
        reverse("admin:newsletters_subscriber_import"),
        reverse("admin:newsletters_edition_changelist"),
        reverse("admin:newsletters_edition_add"),
        reverse("admin:newsletters_edition_change", args=[issue.pk]),
        reverse("admin:newsletters_edition_change", args=[sent.pk]),
        reverse("admin:newsletters_edition_preview", args=[issue.pk]),
        reverse("admin:newsletters_edition_preview_text", args=[issue.pk]),
        reverse("admin:newsletters_edition_send", args=[issue.pk]),
    ]


def writer_pages(newsroom):
    draft = newsroom["draft"]
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[draft.pk]),
        reverse("admin:articles_article_revisions", args=[draft.pk]),
        reverse("admin:articles_image_changelist"),
        reverse("admin:articles_image_change", args=[newsroom["picture"].pk]),
        reverse("admin:articles_image_upload"),
        f"{reverse('admin:articles_image_describe')}?ids={newsroom['picture'].pk}",
        reverse("admin:desk_preferences"),
        reverse("admin:newsletters_newsletter_changelist"),
        reverse("admin:newsletters_edition_changelist"),
        reverse("admin:newsletters_edition_change", args=[newsroom["sent"].pk]),
        reverse("admin:newsletters_edition_preview", args=[newsroom["issue"].pk]),
    ]


def sweep(browser, live_server, console_errors, pages):
    """Each page at each width: what axe found, console errors, and how much wider than the screen it is."""
    found = {}
    for label, (width, height) in WIDTHS.items():
        browser.set_window_size(width, height)
        for page in pages:
            browser.get(live_server.url + page)
            assert browser.find_elements("css selector", "#content"), f"{page} did not open"
            wider = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            errors = console_errors()
            violations = axe_violations(browser, lambda: [])
            if violations or errors or wider > 0:
                found[(label, page)] = {"axe": violations, "console": errors, "wider by": wider}
    browser.set_window_size(1280, 900)
    return found


def report(found):
    return "\n".join(f"{width} {page}: {problems}" for (width, page), problems in sorted(found.items()))


def test_every_page_an_editor_uses_passes_axe_at_both_widths(browser, live_server, console_errors, editor, newsroom):
    sign_in(browser, live_server, editor)
    pages = editor_pages(newsroom)
    found = sweep(browser, live_server, console_errors, pages)
    assert not found, report(found)
    print(f"editor: {len(pages)} pages × {len(WIDTHS)} widths, axe 0 violations")
    browser.delete_all_cookies()


def test_every_page_a_writer_uses_passes_axe_at_both_widths(browser, live_server, console_errors, writer, newsroom):
    sign_in(browser, live_server, writer)
    pages = writer_pages(newsroom)
    found = sweep(browser, live_server, console_errors, pages)
    assert not found, report(found)
    print(f"writer: {len(pages)} pages × {len(WIDTHS)} widths, axe 0 violations")
    browser.delete_all_cookies()
