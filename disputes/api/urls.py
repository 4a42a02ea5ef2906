from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("disputes", views.DisputeViewSet, basename="dispute")

urlpatterns = router.urls
