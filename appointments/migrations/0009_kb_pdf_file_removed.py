"""Second step of moving KB PDFs into the database: the file field goes (in its own migration, so
PostgreSQL alters the table outside the transaction that copied the files)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0008_kb_pdf_in_database"),
    ]

    operations = [
        migrations.RemoveField(model_name="kbdocument", name="pdf"),
        migrations.RemoveField(model_name="historicalkbdocument", name="pdf"),
        migrations.AlterField(
            model_name="kbdocument",
            name="content",
            field=models.BinaryField(verbose_name="PDF"),
        ),
    ]
