from django.urls import path

from . import views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_ledger, name="ledger"),
    path("export.xlsx", views.dispute_ledger_export, name="ledger_export"),
    path("print/", views.dispute_ledger_print, name="ledger_print"),
    path("queue/", views.dispute_queue, name="queue"),
    path("new/", views.dispute_create, name="create"),
    path("<int:pk>/", views.dispute_detail, name="detail"),
    path("<int:pk>/action/<str:action>/", views.dispute_action, name="action"),
    path("<int:pk>/personal-data/", views.dispute_personal_data, name="personal_data"),
    path("<int:pk>/sessions/", views.dispute_session_add, name="session_add"),
    path("<int:pk>/attachments/", views.dispute_attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.dispute_attachment_download,
         name="attachment"),
    path("<int:pk>/agreement/", views.dispute_agreement_print, name="agreement_print"),
    path("<int:pk>/termination/", views.dispute_termination_print, name="termination_print"),
    path("<int:pk>/rights/", views.dispute_rights_print, name="rights_print"),
    path("<int:pk>/file/", views.dispute_file_print, name="file_print"),
]
