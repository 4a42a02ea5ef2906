from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.notice_ledger, name="ledger"),
    path("mine/", views.notice_mine, name="mine"),
    path("new/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/print/", views.notice_print, name="notice_print"),
    path("<int:pk>/action/<str:action>/", views.notice_action, name="notice_action"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("instability/new/", views.instability_report, name="instability_report"),
    path("traces/", views.trace_list, name="traces"),
    path("traces/<int:pk>/", views.trace_detail, name="trace_detail"),
]
