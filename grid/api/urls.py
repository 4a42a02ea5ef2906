from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("towns", views.TownViewSet, basename="town")
router.register("large-grids", views.LargeGridViewSet, basename="large-grid")
router.register("small-grids", views.SmallGridViewSet, basename="small-grid")
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("centres", views.CentreViewSet, basename="centre")
router.register("staff", views.StaffViewSet, basename="staff")

urlpatterns = router.urls
