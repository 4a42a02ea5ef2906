from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core import views as core_views
from core.admin import view_on_site
from grid import views as grid_views
from grid.api.views import TokenView
from inbox import views as inbox_views
from ops import views as ops_views
from outreach import public_views

api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("", include("grid.api.urls")),
    path("", include("disputes.api.urls")),
    path("", include("petitions.api.urls")),
    path("", include("supervision.api.urls")),
    path("", include("imports.api.urls")),
    path("", include("reporting.api.urls")),
    path("", include("outreach.api.urls")),
]

urlpatterns = [
    path("", grid_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("search/", core_views.search, name="search"),
    path("saved-filters/", core_views.saved_filter_create, name="saved_filter_create"),
    path("exports/<int:pk>/", core_views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", core_views.export_download, name="export_download"),
    path("saved-filters/<int:pk>/delete/", core_views.saved_filter_delete,
         name="saved_filter_delete"),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox_views.notification_read, name="notification_read"),
    path("inbox/read-all/", inbox_views.notification_read_all, name="inbox_read_all"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("grid.urls")),
    path("disputes/", include("disputes.urls")),
    path("petitions/", include("petitions.urls")),
    path("legal-aid/", include("legalaid.urls")),
    path("supervision/", include("supervision.urls")),
    path("cadence/", include("cadence.urls")),
    path("reporting/", include("reporting.urls")),
    path("imports/", include("imports.urls")),
    path("outreach/", include("outreach.urls")),
    # The public pages (no login; not in the staff API): README, "What it does".
    path("q/", public_views.query, name="public_query"),
    path("apply/", public_views.apply, name="public_apply"),
    # Before the admin's own: its "view on site" links through the user's scoped admin.
    path("admin/r/<int:content_type_id>/<path:object_id>/",
         admin.site.admin_view(view_on_site), name="admin-view-on-site"),
    path("admin/", admin.site.urls),
    # JSON for monitors (?format=json), a page for administrators; each compose healthcheck
    # asks its own part (docker-compose.yml).
    # Browsers ask for it on a page without an icon link (the print views): the app's own
    # icon, shipped with it, rather than a 404 page rendered for every new visitor.
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("health/", ops_views.HealthView.as_view(), name="health"),
    path("health/web/", ops_views.WebHealthView.as_view(), name="health-web"),
    path("health/worker/", ops_views.WorkerHealthView.as_view(), name="health-worker"),
    path("health/beat/", ops_views.BeatHealthView.as_view(), name="health-beat"),
    path("api/v1/", include((api_v1, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

# Uploaded files are never served as static media: attachments go through the scoped view
# (disputes:attachment), so that a file is only reachable by those who may see its case.
