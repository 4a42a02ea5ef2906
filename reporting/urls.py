from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/new/", views.report_draft, name="report_draft"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/<str:action>/", views.report_action, name="report_action"),
    path("county/", views.county, name="county"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/new/", views.bulletin_draft, name="bulletin_draft"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/<str:action>/", views.bulletin_action, name="bulletin_action"),
]
