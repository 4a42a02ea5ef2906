from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_ledger, name="ledger"),
    path("export.xlsx", views.petition_ledger_export, name="ledger_export"),
    path("print/", views.petition_ledger_print, name="ledger_print"),
    path("mine/", views.petition_mine, name="mine"),
    path("new/", views.petition_register, name="create"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/action/<str:action>/", views.petition_action, name="action"),
    path("<int:pk>/personal-data/", views.petition_personal_data, name="personal_data"),
    path("<int:pk>/higher-visits/", views.petition_higher_visit, name="higher_visit"),
    path("<int:pk>/print/<str:document>/", views.petition_print, name="print"),
]
