from django.contrib.admin.apps import AdminConfig


class OneWindowAdminConfig(AdminConfig):
    default_site = "onewindow.orgs.admin_access.OneWindowAdminSite"
