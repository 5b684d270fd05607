from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "onewindow.catalogue"
    verbose_name = _("事项目录")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import granted_by, register_trail_access
        from onewindow.catalogue.admin import BundleVersionAdmin, MatterVersionAdmin, SynonymGroupAdmin
        from onewindow.catalogue.search_index import repair_search_index

        # On SQLite, a later migration that rebuilds the table drops the search triggers.
        post_migrate.connect(repair_search_index, sender=self, dispatch_uid="catalogue_repair_search_index")

        register_action_labels(
            {
                "catalogue.matter_draft_created": "新建事项草稿",
                "catalogue.matter_edited": "修改事项草稿",
                "catalogue.matter_published": "发布事项",
                "catalogue.matter_retired": "废止事项",
                "catalogue.bundle_draft_created": "新建一件事草稿",
                "catalogue.bundle_edited": "修改一件事草稿",
                "catalogue.bundle_published": "发布一件事",
                "catalogue.bundle_retired": "废止一件事",
                "catalogue.synonyms_created": "新增同义词",
                "catalogue.synonyms_edited": "修改同义词",
                "catalogue.synonyms_deleted": "删除同义词",
            }
        )
        # Their trails show on the admin's change forms: whoever may open those sees them.
        register_trail_access("catalogue.matterversion", granted_by(MatterVersionAdmin.opens_to))
        register_trail_access("catalogue.bundleversion", granted_by(BundleVersionAdmin.opens_to))
        register_trail_access("catalogue.synonymgroup", granted_by(SynonymGroupAdmin.opens_to))
