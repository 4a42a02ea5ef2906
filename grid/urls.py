from django.urls import path

from . import views

app_name = "grid"
urlpatterns = [
    path("", views.town_list, name="town_list"),
    path("towns/<int:pk>/", views.town_detail, name="town_detail"),
    path("large-grids/<int:pk>/", views.large_grid_detail, name="large_grid_detail"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("centres/<int:pk>/", views.centre_detail, name="centre_detail"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("personal-data-access/", views.personal_data_access, name="personal_data_access"),
]
