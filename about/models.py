"""The newsroom's own pages: about, masthead, ethics and corrections policies, contact and tips, the
accessibility statement… Written in the admin in Markdown, kept with their revisions, linked from every page's
footer, from the publisher's JSON-LD (``NewsMediaOrganization``) and from author pages."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.markup import limits, markdown
from articles.models import NormalText, normalize_text, site_host, unique_slug
from articles.models.base import saving_next_version
from pagecache.registry import PageRetiringQuerySet


class Role(models.TextChoices):
    """What a page is to the newsroom; each role but ``OTHER`` is held by one page at most."""

    ABOUT = "about", "About us"
    MASTHEAD = "masthead", "Masthead"
    ETHICS = "ethics", "Ethics policy"
    CORRECTIONS = "corrections", "Corrections policy"
    CONTACT = "contact", "Contact and tips"
    ACCESSIBILITY = "accessibility", "Accessibility statement"
    DIVERSITY = "diversity", "Diversity policy"
    VERIFICATION = "verification", "Verification and fact-checking policy"
    SOURCES = "sources", "Unnamed sources policy"
    MISSION = "mission", "Mission and coverage priorities"
    OWNERSHIP = "ownership", "Ownership and funding"
    OTHER = "other", "Other"


# The schema.org property of NewsMediaOrganization that names each role's page.
SCHEMA_PROPERTIES = {
    Role.MASTHEAD: "masthead",
    Role.ETHICS: "ethicsPolicy",
    Role.CORRECTIONS: "correctionsPolicy",
    Role.CONTACT: "actionableFeedbackPolicy",
    Role.DIVERSITY: "diversityPolicy",
    Role.VERIFICATION: "verificationFactCheckingPolicy",
    Role.SOURCES: "unnamedSourcesPolicy",
    Role.MISSION: "missionCoveragePrioritiesPolicy",
    Role.OWNERSHIP: "ownershipFundingInfo",
}


class NewsroomPageQuerySet(PageRetiringQuerySet):
    def public(self):
        """The pages readers may see: published ones."""
        return self.filter(published=True)

    def in_footer(self):
        return self.public().filter(in_footer=True)


class NewsroomPage(NormalText, models.Model):
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.OTHER,
        help_text="What the page is: search engines are told where the newsroom's policies are by it.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="The page's address under /about/. Made from the title when left empty.",
    )
    summary = models.CharField(max_length=300, blank=True, help_text="A sentence for search engines and link previews.")
    body = models.TextField(blank=True, help_text="Markdown.", validators=[limits.validate_source_size])
    body_html = models.TextField(blank=True, editable=False)
    html_renderer = models.CharField(max_length=8, blank=True, editable=False)
    published = models.BooleanField(default=False, help_text="Readers see only published pages.")
    in_footer = models.BooleanField(default=True, verbose_name="in footer", help_text="Linked from every page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Listed in this order, lowest first.")
    version = models.PositiveIntegerField(
        default=0, help_text="Counts saves; a save from an out-of-date form is refused instead of overwriting."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = NewsroomPageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_html", "html_renderer", "modified_at"])

    class Meta:
        ordering = ["position", "title"]
        verbose_name = "newsroom page"
        constraints = [
            models.UniqueConstraint(fields=["role"], condition=~Q(role="other"), name="newsroom_page_one_per_role"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        normalize_text(self)
        if not self.slug:
            self.slug = unique_slug(NewsroomPage, self.title, exclude_pk=self.pk, max_length=100, fallback="page")
        self.body_html = markdown.render_markdown(self.body, site_host=site_host())
        self.html_renderer = markdown.RENDERER_VERSION
        with saving_next_version(self):  # a copy loaded before someone else's save is refused (StaleEditError)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("about:page", kwargs={"slug": self.slug})

    @property
    def schema_property(self):
        """The NewsMediaOrganization property that names this page, or ""."""
        return SCHEMA_PROPERTIES.get(self.role, "")
