# The dashboard's petitions due within 3 days, read per deadline from an index on (town,
# state, deadline); the (town, state) index they replace is their prefix.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0011_merge_note_text_sort_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='petition',
            name='petitions_p_town_id_a777a2_idx',
        ),
        migrations.AddIndex(
            model_name='petition',
            index=models.Index(fields=['town', 'state', 'accept_due'], name='petitions_town_state_accept'),
        ),
        migrations.AddIndex(
            model_name='petition',
            index=models.Index(fields=['town', 'state', 'reply_due'], name='petitions_town_state_reply'),
        ),
    ]
