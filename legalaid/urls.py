from django.urls import path

from . import views

app_name = "legalaid"
urlpatterns = [
    path("", views.matter_ledger, name="ledger"),
    path("export/", views.matter_export, name="export"),
    path("print/", views.matter_print, name="print"),
    path("new/", views.matter_new, name="new"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/action/<str:action>/", views.matter_action, name="action"),
    path("consultations/", views.consultation_ledger, name="consultations"),
    path("consultations/new/", views.consultation_new, name="consultation_new"),
    path("publicity/", views.publicity_ledger, name="publicity"),
    path("publicity/new/", views.publicity_new, name="publicity_new"),
    path("units/", views.unit_figures, name="units"),
]
