# The masks of the partys' phone and ID number kept beside the cipher text (core.fields), so
# that lists read them as plain text; filled here for the rows already written.

import core.fields
import core.masking
import core.validators
from django.db import migrations, models

from core.crypto import fill_masks


def fill(apps, schema_editor):
    fill_masks(apps, schema_editor, "disputes", "Party")


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
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
