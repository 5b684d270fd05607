"""The reason tags offered for the lower levels (admins change them in 评价原因)."""

from django.db import migrations

TAGS = [
    ("attitude", "服务态度差"),
    ("efficiency", "办事效率低"),
    ("repeated_visits", "多次跑"),
    ("unclear_materials", "材料要求不清"),
    ("long_wait", "等候时间长"),
    ("not_on_time", "未按时办结"),
    ("website", "网上办事不便"),
    ("other", "其他"),
]


def seed(apps, schema_editor):
    ReasonTag = apps.get_model("evaluation", "ReasonTag")
    for order, (code, label) in enumerate(TAGS, start=1):
        ReasonTag.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
