from onewindow.cases.views import commitment, deferral, intake, pages, portal, review, window

app_name = "cases"
urlpatterns = [
    *pages.urlpatterns,
    *portal.urlpatterns,
    *commitment.urlpatterns,
    *window.urlpatterns,
    *intake.urlpatterns,
    *review.urlpatterns,
    *deferral.urlpatterns,
]
