# The masks of the partys' phone and ID number kept beside the cipher text (core.fields), so
# that lists read them as plain text; filled here for the rows already written.

import core.fields
import core.masking
import core.validators
from django.db import migrations, models

CHUNK = 5000


def fill_masks(apps, schema_editor):
    model = apps.get_model("disputes", "party")
    postgres = schema_editor.connection.vendor == "postgresql"
    table = model._meta.db_table
    rows = model.objects.only("id", "phone", "id_number").order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=CHUNK):
        batch.append((row.pk, core.masking.mask_phone(row.phone),
                      core.masking.mask_id_number(row.id_number)))
        if len(batch) == CHUNK:
            _write(schema_editor, model, table, batch, postgres)
            batch = []
    _write(schema_editor, model, table, batch, postgres)


def _write(schema_editor, model, table, batch, postgres):
    if not batch:
        return
    if postgres:  # one statement a chunk
        ids, phones, id_numbers = (list(column) for column in zip(*batch))
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS t SET phone_masked = v.phone, id_number_masked = v.idn"
                " FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS phone,"
                " unnest(%s::text[]) AS idn) AS v WHERE t.id = v.id",
                [ids, phones, id_numbers])
        return
    model.objects.bulk_update(
        [model(pk=pk, phone_masked=phone, id_number_masked=idn) for pk, phone, idn in batch],
        ["phone_masked", "id_number_masked"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('disputes', '0015_grid_found_at_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='party',
            name='id_number_masked',
            field=models.CharField(blank=True, default='', editable=False, max_length=18),
        ),
        migrations.AddField(
            model_name='party',
            name='phone_masked',
            field=models.CharField(blank=True, default='', editable=False, max_length=11),
        ),
        migrations.AlterField(
            model_name='party',
            name='id_number',
            field=core.fields.EncryptedCharField(blank=True, hash_field='id_number_hash', mask=core.masking.mask_id_number, mask_field='id_number_masked', max_length=18, validators=[core.validators.validate_resident_id], verbose_name='身份证号码'),
        ),
        migrations.AlterField(
            model_name='party',
            name='phone',
            field=core.fields.EncryptedCharField(blank=True, hash_field='phone_hash', mask=core.masking.mask_phone, mask_field='phone_masked', max_length=11, validators=[core.validators.validate_mobile], verbose_name='联系电话'),
        ),
        migrations.RunPython(fill_masks, migrations.RunPython.noop, elidable=True),
    ]
