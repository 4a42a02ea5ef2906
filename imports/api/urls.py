from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("imports", views.ImportBatchViewSet, basename="import")

urlpatterns = router.urls
