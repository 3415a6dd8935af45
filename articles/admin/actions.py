"""The article list's bulk actions: each calls the workflow, which checks permission and state per article, and
says what was done and what was refused, and why."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse

from articles.admin.forms import WithdrawForm
from articles.workflow import transitions


@admin.action(description="Submit selected for review")
def submit_selected(modeladmin, request, queryset):
    run_transition(modeladmin, request, queryset, "submit")


@admin.action(description="Publish selected now", permissions=["publish"])
def publish_selected(modeladmin, request, queryset):
    run_transition(modeladmin, request, queryset, "publish")


@admin.action(description="Schedule selected at their publication times", permissions=["publish"])
def schedule_selected(modeladmin, request, queryset):
    run_transition(modeladmin, request, queryset, "schedule")


@admin.action(description="Withdraw selected…", permissions=["withdraw"])
def withdraw_selected(modeladmin, request, queryset):
    form = WithdrawForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        note, comment = form.cleaned_data["note"], form.cleaned_data["comment"]
        run_transition(
            modeladmin, request, queryset, "withdraw", comment=comment, public_note=note.strip() or None
        )  # no note given: each article's own Withdrawal note
        return None
    context = {**modeladmin.admin_site.each_context(request), "form": form, "articles": queryset,
               "opts": modeladmin.model._meta, "title": "Withdraw articles"}  # fmt: skip
    return TemplateResponse(request, "admin/articles/article/withdraw.html", context)


ARTICLE_ACTIONS = [submit_selected, publish_selected, schedule_selected, withdraw_selected]


def run_transition(modeladmin, request, queryset, name, **options):
    """A bulk action: the transition for each selected article, with what was done and what refused, and why."""
    done, refused = [], []
    for article in queryset:
        try:
            transitions.apply(article, name, request.user, **options)
            done.append(article.title)
        except transitions.TransitionError as error:
            refused.append(f"“{article.title}”: {error}")
    label = transitions.TRANSITIONS[name].label
    if done:
        modeladmin.message_user(request, f"{label}: done for {len(done)} — " + "; ".join(done), messages.SUCCESS)
    if refused:
        modeladmin.message_user(request, f"{label}: refused for {len(refused)} — " + "; ".join(refused), messages.ERROR)
