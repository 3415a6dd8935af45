"""Where the article form leaves the editor, and the action bar that leads there.

Every save from the change form keeps the editor on the story (Django's "Save and continue editing"), with what
happened said at the top. After a workflow action the editor may choose to go to the desk instead: the choice
is made in the bar and remembered for the session. Writers are not offered "Save and add another", and the
form leaves out the publishing fields writers cannot set while they are empty.
"""

from django.contrib import messages
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from articles.admin import states as admin_states
from articles.models import Article
from articles.workflow import transitions

AFTER_ACTION = "article_after_action"  # the session key of the choice: "story" or "desk"
AFTER_CHOICES = [("story", "this story"), ("desk", "the desk")]
PUBLISHERS_ONLY = ["published_at", "expires_at", "embargo_until", "assignee"]  # read-only "-" to writers
PRIMARY = ("publish", "submit")  # the first of these the user may take is the bar's primary action


def done_message(name, article):
    """What happened, as the desk says it at the top of the form."""
    if name == "schedule":
        return f"Scheduled: it goes live on {transitions.shown(article.published_at)} by itself."
    return {
        "submit": "Submitted for review. The desk has been told.",
        "publish": "Published: readers see it now.",
        "send_back": "Sent back to draft. Its writers have been told.",
        "withdraw": "Withdrawn: its address now answers “Gone” with your public note.",
    }.get(name, f"{transitions.TRANSITIONS[name].label}: done.")


def after_action(request):
    """Where this user goes after a workflow action: the choice posted with this save, else the last one."""
    chosen = request.POST.get("_after")
    if chosen in dict(AFTER_CHOICES):
        request.session[AFTER_ACTION] = chosen
    return request.session.get(AFTER_ACTION, "story")


def without(fields, names):
    """A fieldset's ``fields`` (names, or tuples of names on one line) without ``names``."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            field = type(field)(name for name in field if name not in names)
            if field:
                kept.append(field)
        elif field not in names:
            kept.append(field)
    return kept


class ActionBar:
    """For ArticleAdmin: the action bar's context, and the landing after each save from the change form."""

    save_on_top = True  # the bar takes the place of the submit row, at the top of the form

    def may_add_another(self, request):
        return request.user.has_perm("articles.edit_any_article") and self.has_add_permission(request)

    def land(self, request, article):
        """Back to the story with what happened, or to the desk after an action when the user chose it."""
        done = getattr(request, "action_done", None)
        going = after_action(request)
        if done:
            self.message_user(request, done_message(done, Article.objects.get(pk=article.pk)), messages.SUCCESS)
            if going == "desk":
                return HttpResponseRedirect(reverse("admin:index"))
        else:
            self.message_user(request, format_html("Saved “{}”.", article.title), messages.SUCCESS)
        url = reverse("admin:articles_article_change", args=[article.pk])
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(context, url))

    def response_add(self, request, obj, post_url_continue=None):
        if "_popup" in request.POST or ("_addanother" in request.POST and self.may_add_another(request)):
            return super().response_add(request, obj, post_url_continue)
        return self.land(request, obj)

    def response_change(self, request, obj):
        if "_popup" in request.POST or ("_addanother" in request.POST and self.may_add_another(request)):
            return super().response_change(request, obj)
        return self.land(request, obj)

    def get_view_on_site_url(self, obj=None):
        """A story readers cannot see yet is viewed in the staff preview, as readers will see it."""
        if obj is not None and obj.pk and not obj.is_published():
            return reverse("articles:preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        user = request.user
        stored = obj
        if obj is not None and obj.pk and request.method == "POST":
            # A form that comes back unsaved holds what was typed: the bar offers what the story as stored allows
            # (published meanwhile by a second press of Confirm, or by someone else).
            stored = Article.objects.filter(pk=obj.pk).first() or obj
        allowed = transitions.available(stored, user) if obj else (
            [transitions.TRANSITIONS["submit"]] if user.has_perm("articles.add_article") else []
        )  # fmt: skip
        names = [transition.name for transition in allowed]
        may_save = self.has_add_permission(request) if add else self.has_change_permission(request, obj)
        context["transitions"] = allowed
        context["action_bar"] = {
            "may_save": may_save,
            "primary": next((name for name in PRIMARY if name in names), ""),
            "add_another": may_save and self.may_add_another(request),
            "delete_url": reverse("admin:articles_article_delete", args=[obj.pk])
            if obj and self.has_delete_permission(request, obj) else "",
            "after": request.session.get(AFTER_ACTION, "story"),
            "after_choices": AFTER_CHOICES,
            "state": stored.state() if obj else "",
            "state_badge": admin_states.state_badge(stored) if obj else "",
        }  # fmt: skip
        if not user.has_perm("articles.publish_article") and "adminform" in context:
            empty = {name for name in PUBLISHERS_ONLY if obj is None or getattr(obj, name) is None}
            context["adminform"].fieldsets = [
                (title, {**options, "fields": without(options["fields"], empty)})
                for title, options in context["adminform"].fieldsets
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)
