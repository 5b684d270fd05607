"""The catalogue in the admin (system admin only). Every save goes through the services.

Drafts are edited on the version page (materials inline, the form as JSON validated field by
field); published and retired versions show read-only. The actions 发布 / 废止 /
基于此版本新建草稿 call the services; a refused action shows its Chinese message.

    common      system admin only, refusals as messages, the version admin mixin (lifecycle actions)
    matters     matter versions with materials and form, matters
    bundles     bundle versions with their stages, bundles
    workbook    the Excel import and export on the matter list
    synonyms    the synonym table (同义词)
"""

from onewindow.catalogue.admin.bundles import BundleAdmin, BundleVersionAdmin, BundleVersionForm
from onewindow.catalogue.admin.common import DomainErrorsAsMessages, VersionAdminMixin
from onewindow.catalogue.admin.matters import MatterAdmin, MatterVersionAdmin, MatterVersionForm
from onewindow.catalogue.admin.synonyms import SynonymGroupAdmin
from onewindow.catalogue.admin.workbook import ImportForm

__all__ = [
    "BundleAdmin",
    "BundleVersionAdmin",
    "BundleVersionForm",
    "DomainErrorsAsMessages",
    "ImportForm",
    "MatterAdmin",
    "MatterVersionAdmin",
    "MatterVersionForm",
    "SynonymGroupAdmin",
    "VersionAdminMixin",
]
