"""Mounted at the site's root: the pages under /certificates/ and the public /verify/ pages."""

from django.urls import path

from onewindow.certificates.views import delivery, pages

app_name = "certificates"
urlpatterns = [
    path("certificates/", pages.staff_list, name="staff_list"),
    path("certificates/warnings/", pages.warning_list, name="warnings"),
    path("certificates/types/", pages.type_list, name="types"),
    path("certificates/types/<int:type_id>/", pages.type_detail, name="type_detail"),
    path("certificates/<int:certificate_id>/", pages.staff_detail, name="staff_detail"),
    path("certificates/<int:certificate_id>/pdf/", pages.staff_pdf, name="staff_pdf"),
    path("certificates/<int:certificate_id>/deliveries/", delivery.hand_over, name="hand_over"),
    path("certificates/<int:certificate_id>/<slug:action>/", pages.staff_action, name="staff_action"),
    path("certificates/mine/", pages.mine, name="mine"),
    path("certificates/mine/<int:certificate_id>/", pages.mine_detail, name="mine_detail"),
    path("certificates/mine/<int:certificate_id>/pdf/", delivery.download, name="download"),
    path("certificates/case/<int:case_id>/", pages.case_certificates, name="case"),
    path("verify/", pages.verify, name="verify_upload"),
    path("verify/<str:number>/", pages.verify_number, name="verify"),
]
