from django.urls import path

from . import views

app_name = "cadence"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("screening/", views.screening, name="screening"),
    path("daily/", views.daily_today, name="daily_today"),
    path("daily/<int:town_id>/<str:day>/", views.daily, name="daily"),
    path("weekly/<int:pk>/", views.weekly, name="weekly"),
    path("monthly/<int:pk>/", views.monthly, name="monthly"),
]
