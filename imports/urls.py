from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sheet/", views.sheet, name="sheet"),
    path("<int:pk>/columns/", views.mapping, name="mapping"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/report.xlsx", views.report, name="report"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/undo/", views.undo, name="undo"),
]
