from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("petitions", views.PetitionViewSet, basename="petition")

urlpatterns = router.urls
