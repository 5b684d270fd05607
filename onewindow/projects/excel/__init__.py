"""The registry as an Excel workbook, in the layout key-project offices use (openpyxl).

- layout.py:   the columns, their order and how values are written: the one place import and export share
- parsing.py:  pure parser: rows of cell values → checked project rows and every error (row, column, message)
- importer.py: names resolved against the database, then every row written in one transaction
- exporter.py: any filtered list as a workbook that imports back unchanged
"""
