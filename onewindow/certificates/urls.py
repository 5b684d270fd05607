"""Mounted at the site's root: the pages under /certificates/ and the public /verify/ pages."""

from django.urls import path

from onewindow.certificates import views

app_name = "certificates"
urlpatterns = [
    path("certificates/", views.staff_list, name="staff_list"),
    path("certificates/warnings/", views.warning_list, name="warnings"),
    path("certificates/types/", views.type_list, name="types"),
    path("certificates/types/<int:type_id>/", views.type_detail, name="type_detail"),
    path("certificates/<int:certificate_id>/", views.staff_detail, name="staff_detail"),
    path("certificates/<int:certificate_id>/pdf/", views.staff_pdf, name="staff_pdf"),
    path("certificates/<int:certificate_id>/<slug:action>/", views.staff_action, name="staff_action"),
    path("certificates/mine/", views.mine, name="mine"),
    path("certificates/mine/<int:certificate_id>/", views.mine_detail, name="mine_detail"),
    path("certificates/mine/<int:certificate_id>/pdf/", views.mine_pdf, name="download"),
    path("certificates/case/<int:case_id>/", views.case_certificates, name="case"),
    path("verify/", views.verify, name="verify_upload"),
    path("verify/<str:number>/", views.verify_number, name="verify"),
]
