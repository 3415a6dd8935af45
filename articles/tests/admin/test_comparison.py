"""The revisions page's comparison (since the last submission, word by word, in people's names) and one
revision for each action."""

import collections
import re

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.admin import textdiff
from articles.models import Article
from articles.tests.factories import article_form, change_url, draft_by, form_data, refresh
from articles.workflow import transitions

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(writer, editor):
    writer.first_name, writer.last_name = "Wendy", "Writer"
    editor.first_name, editor.last_name = "Ana", "Ruiz"
    writer.save()
    editor.save()
    return writer, editor


def save(client, article, transition=None, note="", **fields):
    data = form_data(refresh(article), **fields)
    if transition:
        data |= {"_transition": transition, "transition_comment": note}
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return refresh(article)


def revisions_page(client, article, **picked):
    return client.get(reverse("admin:articles_article_revisions", args=[article.pk]), picked).content.decode()


def comparison(page):
    start = page.index('<section class="revisions-comparison"')
    return page[start : page.index("</section>", start)]


class TestSinceTheLastSubmission:
    def test_the_editor_reads_what_changed_since_the_story_was_submitted(self, named, client_for):
        writer, editor = named
        article = draft_by(writer, title="Harbour dues rise", body="The harbour was quiet.\n\nThe mayor said nothing.")
        save(client_for(writer), article, "submit", "Ready.")
        submitted = article.history.latest("history_id")
        save(client_for(editor), article, "send_back", "Get the mayor on the record.")
        save(client_for(writer), article, body="The harbour was loud.\n\nThe mayor said nothing.")
        save(client_for(editor), article, title="Harbour dues rise by a third")
        save(client_for(writer), article, "submit", "Done.")
        page = revisions_page(client_for(editor), article)
        shown = comparison(page)
        at = refresh(article).transitions.filter(target="review").first().at
        assert f"Changes by Wendy Writer and Ana Ruiz since Wendy Writer submitted it at {at:%-d %b %Y, %H:%M}" in shown
        assert f"Revision #{submitted.history_id} (Wendy Writer, " in shown
        assert "Ana Ruiz changed the headline" in shown
        assert "Harbour dues rise<ins> by a third</ins>" in shown
        assert "Wendy Writer changed the body" in shown
        assert "The harbour was <del>quiet</del><ins>loud</ins>." in shown
        assert "@@" not in shown and "diff_add" not in shown  # no unified diff
        assert f'value="{submitted.history_id}" aria-label="Compare from revision #{submitted.history_id}" checked' in (
            page
        )

    def test_a_story_never_submitted_is_compared_with_its_revision_before(self, named, client_for):
        writer, _editor = named
        article = draft_by(writer, dek="A first dek.")
        save(client_for(writer), article, dek="A second dek.")
        newest = article.history.latest("history_id")
        shown = comparison(revisions_page(client_for(writer), article))
        assert f"Changes by Wendy Writer in revision #{newest.history_id}, since the revision before" in shown
        assert "Wendy Writer changed the dek" in shown and "A <del>first</del><ins>second</ins> dek." in shown

    def test_any_two_revisions_can_still_be_compared(self, named, client_for):
        writer, editor = named
        article = draft_by(writer, body="One.")
        for body in ("Two.", "Three."):
            save(client_for(editor), article, body=body)
        first, _second, third = article.history.order_by("history_id")
        shown = comparison(revisions_page(client_for(editor), article, **{"from": first.history_id}))
        assert f"from revision #{first.history_id} to #{third.history_id}" in shown
        assert "<del>One</del><ins>Three</ins>." in shown and "Ana Ruiz changed the body" in shown
        shown = comparison(revisions_page(client_for(editor), article, to=first.history_id, **{"from": first.pk}))
        assert "No changes" in shown

    def test_states_people_and_times_are_named(self, named, client_for):
        writer, editor = named
        article = draft_by(writer)
        first = article.history.get()
        save(client_for(editor), article, assignee=editor.pk)
        save(client_for(writer), article, "submit")
        shown = comparison(revisions_page(client_for(editor), article, **{"from": first.history_id}))
        assert "Changes by Ana Ruiz and Wendy Writer from revision" in shown
        assert "Ana Ruiz changed the assigned editor" in shown and "<del>(none)</del> → <ins>Ana Ruiz</ins>" in shown
        assert "Wendy Writer changed the status" in shown and "<del>Draft</del> → <ins>In review</ins>" in shown
        assert "changed the version" not in shown


class TestWordDiff:
    def test_a_long_body_is_marked_word_by_word_and_cut_around_its_changes(self):
        paragraphs = [f"Paragraph {n} tells of the harbour, the ferry and the council's vote." for n in range(800)]
        before = "\n\n".join(paragraphs)  # over 10,000 words
        changed = list(paragraphs)
        changed[400] = changed[400].replace("ferry", "night ferry")
        shown = textdiff.words(before, "\n\n".join(changed))
        assert "the<ins> night</ins> ferry" in shown
        assert shown.count("<ins>") == 1 and "<del>" not in shown
        skipped = [int(n) for n in re.findall(r"\[… (\d+) words unchanged …\]", shown)]
        assert len(skipped) == 2 and sum(skipped) > 10_000 and len(shown) < 2_000

    def test_runs_too_long_or_too_different_are_shown_whole(self):
        rewritten = textdiff.word_changes("Old paragraph about the harbour.", "New text, on the ferry.")
        assert rewritten == [("-", "Old paragraph about the harbour."), ("+", "New text, on the ferry.")]
        one_line = " ".join(["word"] * 5000)  # one sentence, past the limit
        assert textdiff.word_changes(one_line, one_line + " more") == [("-", one_line), ("+", one_line + " more")]
        sentences = " ".join(f"Sentence {n} stays." for n in range(1500))  # past the limit, in sentences
        edited = sentences.replace("Sentence 300 stays.", "Sentence 300 moved.")
        assert ("-", "stays") in textdiff.word_changes(sentences, edited)

    @pytest.mark.parametrize(
        ("before", "after"),
        [
            ("Same line.\n" * 10_000, "Same line.\n" * 5_000 + "Other line.\n" + "Same line.\n" * 4_999),
            ("Same. " * 100_000, "Same. " * 50_000 + "Other. " + "Same. " * 49_999),
            ("".join(f"Line {n}.\n" for n in range(20_000)), "".join(f"Changed {n}.\n" for n in range(20_000))),
        ],
        ids=["repeated lines", "repeated sentences", "every line changed"],
    )
    def test_repeated_or_many_lines_are_never_handed_whole_to_difflib(self, before, after, monkeypatch):
        weighed = []

        class Counting(textdiff.difflib.SequenceMatcher):
            def __init__(self, isjunk, a, b, **options):
                counts = collections.Counter(b)
                weighed.append(sum(counts[unit] for unit in a))
                assert weighed[-1] <= textdiff.PAIR_LIMIT + textdiff.WORD_LIMIT**2
                super().__init__(isjunk, a, b, **options)

        monkeypatch.setattr(textdiff.difflib, "SequenceMatcher", Counting)
        shown = textdiff.words(before, after)
        assert "<ins>" in shown or "<del>" in shown
        assert len(shown) < textdiff.SHOWN_CHARACTERS + 1000

    def test_line_endings_alone_are_no_change(self):
        typed = "The harbour was quiet.\r\n\r\nThe mayor said nothing.\r\n"
        imported = "The harbour was quiet.\n\nThe mayor said <b>little</b>.\n"
        assert textdiff.word_changes(typed, imported) == [
            ("=", "The harbour was quiet.\n\nThe mayor said "),
            ("-", "nothing"),
            ("+", "<b>little</b>"),
            ("=", ".\n"),
        ]

    def test_one_long_change_is_cut(self):
        shown = textdiff.words("Short.", "x" * 1_000_000)
        assert len(shown) < textdiff.SHOWN_CHARACTERS + 1000
        assert f"<ins>{'x' * 1000}" in shown and re.search(r"\[… \d+ more characters\]</span></div>$", shown)

    def test_a_change_after_a_long_unchanged_stretch_is_shown(self):
        shown = textdiff.words("Same. " * 100_000, "Same. " * 100_000 + "New.")
        assert "<ins>New.</ins>" in shown and len(shown) < 2000

    def test_markup_in_the_text_is_shown_as_text(self, named, client_for):
        writer, editor = named
        article = draft_by(writer, title="<b>Bold</b> harbour", body="Calm <img src=x onerror=alert(1)>.")
        save(
            client_for(writer),
            article,
            title="<script>alert(1)</script> harbour",
            body="Calm </div><script>x()</script>.",
        )
        shown = comparison(revisions_page(client_for(editor), article))
        assert "<script" not in shown and "<img" not in shown and "<b>" not in shown
        assert "<ins>/div&gt;&lt;script&gt;</ins>" in shown and "&lt;<del>b</del><ins>script</ins>&gt;" in shown


class TestOneRevisionPerAction:
    def test_save_and_submit_from_the_form_records_one_revision(self, named, client_for):
        writer, _editor = named
        Tag.objects.create(name="harbour")
        article = draft_by(writer, body="Before.")
        before = article.history.count()
        previous = article.history.latest("history_id")
        save(client_for(writer), article, "submit", "Ready for you.", body="After.", tags="harbour")
        assert article.history.count() == before + 1
        assert article.history.get(history_id=previous.history_id).history_tags == previous.history_tags == []
        revision = article.history.latest("history_id")
        assert (revision.status, revision.body, revision.history_user) == ("review", "After.", writer)
        assert revision.history_change_reason == "Submit for review: Ready for you."
        assert revision.history_tags == ["harbour"] and [b["name"] for b in revision.history_bylines] == [
            "Wendy Writer"
        ]

    def test_each_workflow_button_records_one_revision(self, named, client_for):
        writer, editor = named
        article = draft_by(writer)
        save(client_for(writer), article, "submit")
        count = article.history.count()
        save(client_for(editor), article, "send_back", "A note.")
        assert article.history.count() == count + 1
        save(client_for(writer), article, "submit")
        count = article.history.count()
        data = form_data(refresh(article), _transition="publish", transition_comment="Good to go.")
        step = client_for(editor).post(change_url(article), data).content.decode()  # the publish step, unsaved
        assert article.history.count() == count
        confirm = re.search(r'name="_confirm" value="([\w:]+)"', step).group(1)
        save(client_for(editor), article, transition_comment="Good to go.", _confirm=confirm)
        assert refresh(article).status == "published" and article.history.count() == count + 1
        assert article.history.latest("history_id").history_change_reason == "Publish: Good to go."

    def test_a_new_article_saved_and_submitted_has_one_revision(self, named, client_for):
        writer, _editor = named
        data = article_form(title="New one", dek="Its dek.", body="Its body.", _transition="submit")
        assert client_for(writer).post(reverse("admin:articles_article_add"), data).status_code == 302
        article = Article.objects.get(title="New one")
        assert article.status == "review" and article.history.count() == 1

    def test_a_plain_save_records_one_revision_with_its_credits(self, named, client_for):
        writer, _editor = named
        Tag.objects.create(name="ferry")
        article = draft_by(writer)
        before = article.history.count()
        save(client_for(writer), article, tags="ferry")
        assert article.history.count() == before + 1
        assert article.history.latest("history_id").history_tags == ["ferry"]

    def test_a_bulk_action_records_one_revision_per_article(self, named, client_for):
        writer, editor = named
        articles = [draft_by(writer), draft_by(writer)]
        counts = [a.history.count() for a in articles]
        client_for(writer).post(
            reverse("admin:articles_article_changelist"),
            {"action": "submit_selected", "_selected_action": [a.pk for a in articles]},
        )
        assert [a.history.count() for a in articles] == [n + 1 for n in counts]
        assert all(refresh(a).status == "review" for a in articles)

    def test_a_refused_step_records_nothing(self, named, client_for):
        writer, _editor = named
        article = draft_by(writer, dek="")
        before = (article.history.count(), refresh(article).body)
        data = form_data(refresh(article), body="Changed.", _transition="submit")
        response = client_for(writer).post(change_url(article), data)
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
        assert (article.history.count(), refresh(article).body) == before
        assert transitions.state(refresh(article)) == "draft"
