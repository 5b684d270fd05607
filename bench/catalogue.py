"""Catalogue workbook: import (first, unchanged re-import, refused), export, and form validation.

Each database runs in its own process: SQLite on a temporary file, PostgreSQL on a database
`ow_bench_catalogue` that this module creates and drops (BENCH_POSTGRES_URL names the server).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import time
from typing import Any

from bench._postgres import create_database, drop_database

TITLE = "Catalogue (事项目录): Excel import and export, form validation"

MATTERS = 300
MATERIALS_PER_MATTER = 5
FIELDS_PER_MATTER = 6
BUNDLES = 10
VALIDATIONS = 20_000
POSTGRES_DB = "ow_bench_catalogue"


def _django(db_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["ONEWINDOW_VAR_DIR"] = var_dir
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()


def _workbook(department_codes: list[str], *, broken: bool = False) -> Any:
    from openpyxl import Workbook

    from onewindow.catalogue.excel import COLUMNS

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    sheets = {name: workbook.create_sheet(name) for name in COLUMNS}
    for name, sheet in sheets.items():
        sheet.append(list(COLUMNS[name]))
    for i in range(MATTERS):
        code, department = f"B-{i:04d}", department_codes[i % len(department_codes)]
        promised = 30 if broken and i % 10 == 0 else 5
        sheets["事项"].append(
            [code, f"建设工程规划许可证核发{i}", department, "行政许可", "《城乡规划法》第四十条", 20, promised,
             "全程网办", 1, "否", "不收费", "", "市民中心"]
        )  # fmt: skip
        for m in range(MATERIALS_PER_MATTER):
            sheets["材料"].append([code, f"material_{m}", f"材料{m}", "必要", "原件", "否", "", 1])
        for f in range(FIELDS_PER_MATTER):
            sheets["表单"].append([code, f"field_{i}_{f}", f"字段{f}", "文本", "是", "", None, 50, None])
    for b in range(BUNDLES):
        for stage in (1, 2):
            code = f"B-{(b * 2 + stage - 1):04d}"
            sheets["一件事"].append([f"YJS-{b:03d}", f"一件事{b}", stage, f"阶段{stage}", code, department_codes[0]])
    return workbook


def _timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _measure_in_process(db_url: str, var_dir: str, results: Any) -> None:
    _django(db_url, var_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from onewindow.catalogue.domain import FieldKind, FieldSpec, fields_to_schema, validate_form
    from onewindow.catalogue.excel import catalogue_export, catalogue_import
    from onewindow.orgs.models import Organisation
    from onewindow.orgs.services import organisation_create
    from onewindow.xlsx import sheets_of

    city = organisation_create(code="BENCH", name="基准市", level=Organisation.Level.CITY)
    departments = [
        organisation_create(code=f"BENCH-D{i}", name=f"局{i}", level=Organisation.Level.DEPARTMENT, parent=city).code
        for i in range(10)
    ]
    refused_s, refused = _timed(
        lambda: catalogue_import(actor=None, sheets=sheets_of(_workbook(departments, broken=True)))
    )
    first_s, first = _timed(
        lambda: catalogue_import(actor=None, sheets=sheets_of(_workbook(departments)), publish=True)
    )
    again_s, again = _timed(
        lambda: catalogue_import(actor=None, sheets=sheets_of(_workbook(departments)), publish=True)
    )
    export_s, exported = _timed(catalogue_export)
    round_s, round_trip = _timed(lambda: catalogue_import(actor=None, sheets=sheets_of(exported), publish=True))
    schema = fields_to_schema(
        [
            FieldSpec(key="name", label="名称", kind=FieldKind.TEXT, required=True, maximum=50),
            FieldSpec(key="phone", label="电话", kind=FieldKind.TEXT, pattern=r"1\d{10}"),
            FieldSpec(key="area", label="面积", kind=FieldKind.NUMBER, minimum=0, maximum=1e6),
            FieldSpec(key="start_on", label="开工日期", kind=FieldKind.DATE),
            FieldSpec(key="use", label="用途", kind=FieldKind.CHOICE, options=("工业", "住宅")),
        ]
    )
    values = {"name": "厂房", "phone": "13812345678", "area": "1200.5", "start_on": "2025-03-01", "use": "工业"}
    validate_s, _ = _timed(lambda: [validate_form(schema, values) for _ in range(VALIDATIONS)])
    results.put(
        {
            "refused": (refused_s, len(refused.errors)),
            "first": (first_s, first.created),
            "again": (again_s, again.unchanged),
            "export": (export_s, None),
            "round": (round_s, round_trip.unchanged),
            "validate_per_s": VALIDATIONS / validate_s,
        }
    )


def _measure(label: str, db_url: str) -> str:
    var_dir = tempfile.mkdtemp(prefix="ow-bench-catalogue-var-")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measure_in_process, args=(db_url, var_dir, results))
    try:
        process.start()
        r = results.get(timeout=100)
        process.join(timeout=30)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return (
        f"| {label} | {r['refused'][0]:.2f} s ({r['refused'][1]} errors) | {r['first'][0]:.2f} s "
        f"({r['first'][1]} created) | {r['again'][0]:.2f} s ({r['again'][1]} unchanged) | {r['export'][0]:.2f} s "
        f"| {r['round'][0]:.2f} s ({r['round'][1]} unchanged) | {r['validate_per_s']:,.0f} |"
    )


def run() -> str:
    rows, notes = [], []
    sqlite_dir = tempfile.mkdtemp(prefix="ow-bench-catalogue-")
    try:
        rows.append(_measure("SQLite", f"sqlite:///{sqlite_dir}/catalogue.sqlite3"))
    finally:
        shutil.rmtree(sqlite_dir, ignore_errors=True)
    postgres_url, skipped = create_database(POSTGRES_DB)
    if postgres_url is None:
        notes.append(skipped)
    else:
        try:
            rows.append(_measure("PostgreSQL", postgres_url))
        finally:
            drop_database(POSTGRES_DB)
    explanation = (
        f"A workbook of {MATTERS} matters ({MATERIALS_PER_MATTER} materials and {FIELDS_PER_MATTER} form fields "
        f"each) and {BUNDLES} two-stage bundles. 'Refused' has a bad row in every tenth matter: every error "
        "is reported and nothing is written. 'First' creates and publishes everything through the audited "
        "services; 'again' re-imports the same workbook (nothing changes); 'round trip' imports the export. "
        "The last column is `validate_form` calls per second on a five-field form."
    )
    header = (
        "| database | refused import | first import (publish) | same again | export | round trip "
        "| validate_form / s |\n|---|---:|---:|---:|---:|---:|---:|"
    )
    return "\n".join([explanation, "", header, *rows, *(["", *notes] if notes else [])]) + "\n"
