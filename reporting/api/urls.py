from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("statistics/reports", views.ReportViewSet, basename="report")
router.register("bulletins", views.BulletinViewSet, basename="bulletin")

urlpatterns = [
    path("statistics/mediation/", views.MediationStatisticsView.as_view(),
         name="statistics-mediation"),
    *router.urls,
]
