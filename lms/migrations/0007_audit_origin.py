from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0006_data_protection_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditlogentry',
            name='device_time',
            field=models.DateTimeField(blank=True, null=True, verbose_name='time on the device'),
        ),
        migrations.AddField(
            model_name='auditlogentry',
            name='origin',
            field=models.CharField(blank=True, choices=[('device', "sent from a trainer's device"), ('paper', 'typed in from a paper sheet')], max_length=10, verbose_name='origin'),
        ),
    ]
