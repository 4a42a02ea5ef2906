from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/<str:action>/", views.application_action,
         name="application_action"),
]
