"""The catalogue as an Excel workbook (onewindow.xlsx): import with every bad row reported, and export.

The layout (sheets 事项, 材料, 表单, 一件事; header in row 1) is described in README.md and is the
contract with the demo loader. An import validates everything first and then writes in one
transaction, through the services (so each change is validated and audited); with any bad row
it changes nothing. Re-importing the same workbook changes nothing.

    layout      sheets, columns, cell words; RowError and ImportReport
    cells       typed cell values, each bad one a RowError
    plan        what the workbook says, checked (nothing written)
    importing   `catalogue_import`: the plan written through the services
    export      `catalogue_export`: the published catalogue in the same layout
"""

from onewindow.catalogue.excel.export import catalogue_export
from onewindow.catalogue.excel.importing import catalogue_import
from onewindow.catalogue.excel.layout import (
    BUNDLES,
    COLUMNS,
    FORMS,
    MATERIALS,
    MATTERS,
    OPTIONAL_COLUMNS,
    ImportReport,
    RowError,
)

__all__ = [
    "BUNDLES",
    "COLUMNS",
    "FORMS",
    "MATERIALS",
    "MATTERS",
    "OPTIONAL_COLUMNS",
    "ImportReport",
    "RowError",
    "catalogue_export",
    "catalogue_import",
]
