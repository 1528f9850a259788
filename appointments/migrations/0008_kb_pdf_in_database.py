"""KB PDFs move from the media folder into the database (docs/storage.md): each file is read once,
checked against the SHA-256 recorded when it was made, and stored in `content`. A file that cannot be
read or no longer matches its hash stops the migration: a legal act is never silently lost."""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations, models


def files_into_database(apps, schema_editor):
    KBDocument = apps.get_model("appointments", "KBDocument")
    for document in KBDocument.objects.all():
        with default_storage.open(document.pdf.name, "rb") as handle:
            data = handle.read()
        if hashlib.sha256(data).hexdigest() != document.sha256:
            raise RuntimeError(f"KB {document.pk} ({document.pdf.name}): file does not match its SHA-256")
        document.content = data
        document.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0007_kb_amount_check"),
    ]

    operations = [
        migrations.AddField(
            model_name="kbdocument",
            name="content",
            field=models.BinaryField(null=True, verbose_name="PDF"),
        ),
        migrations.RunPython(files_into_database, migrations.RunPython.noop),
    ]
