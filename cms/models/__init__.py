"""The promotion ("smart branding") pages Diskominfo builds in Wagtail, and their snippets."""

from cms.models.articles import ArticleIndexPage, ArticlePage, ArticleTopic
from cms.models.campaigns import CampaignIndexPage, CampaignPage
from cms.models.events import EventCategory, EventIndexPage, EventPage
from cms.models.home import HomePage
from cms.models.places import DestinationIndexPage, DestinationPage, VillageIndexPage, VillagePage
from cms.models.promotion import PromotionPage
from cms.models.site import AnnouncementBanner, SiteSettings

__all__ = [
    "AnnouncementBanner",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleTopic",
    "CampaignIndexPage",
    "CampaignPage",
    "DestinationIndexPage",
    "DestinationPage",
    "EventCategory",
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "PromotionPage",
    "SiteSettings",
    "VillageIndexPage",
    "VillagePage",
]
