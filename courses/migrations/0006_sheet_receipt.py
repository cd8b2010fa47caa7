import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0005_roster_number'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SheetReceipt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uuid', models.UUIDField(unique=True, verbose_name='sheet UUID')),
                ('origin', models.CharField(choices=[('device', "sent from a trainer's device"), ('paper', 'typed in from a paper sheet')], max_length=10, verbose_name='origin')),
                ('content_digest', models.CharField(max_length=64, verbose_name='content digest')),
                ('device_time', models.DateTimeField(verbose_name='time on the device')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='received at')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='new marks')),
                ('changed', models.PositiveIntegerField(default=0, verbose_name='changed marks')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='unchanged marks')),
                ('delivery', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='receipts', to='courses.sessiondelivery', verbose_name='session delivery')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
            ],
            options={
                'verbose_name': 'received attendance sheet',
                'verbose_name_plural': 'received attendance sheets',
                'ordering': ['-received_at'],
            },
        ),
    ]
