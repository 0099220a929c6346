"""Models of audit: generated from its migrations' final state; do not edit."""

import django.db.models.deletion
from django.db import models


class Actor(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    char_6 = models.CharField(default="", max_length=80)
    char_28 = models.CharField(default="", max_length=60, db_index=True)
    int_39 = models.IntegerField(default=0)
    char_59 = models.CharField(default="", max_length=40)


class Event(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.actor")
    int_7 = models.IntegerField(default=0)
    int_r52 = models.IntegerField(default=0)
    int_60 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0031_idx"),
            models.Index(fields=["int_7"], name="audi_0043_idx"),
            models.Index(fields=["int_r52"], name="audi_0127_idx"),
        ]


class Snapshot(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.event")
    char_1 = models.CharField(default="", max_length=40)
    bool_16 = models.BooleanField(default=False)
    int_24 = models.IntegerField(default=0)
    bool_32 = models.BooleanField(default=False)
    char_38 = models.CharField(default="", max_length=40)
    bool_48 = models.BooleanField(default=False)
    decimal_51 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_81 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0007_idx"),
            models.Index(fields=["int_24"], name="audi_0079_idx"),
        ]


class Record0002(models.Model):
    label = models.CharField(default="", max_length=120)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.snapshot")
    bool_r36 = models.BooleanField(default=False)
    decimal_14 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    decimal_19 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_53 = models.BooleanField(default=False)
    decimal_56 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0014(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0002")
    char_12 = models.CharField(default="", max_length=40)
    char_22 = models.CharField(default="", max_length=60, db_index=True)
    bool_27 = models.BooleanField(default=False)
    bool_37 = models.BooleanField(default=False)
    char_44 = models.CharField(default="", max_length=60, db_index=True)
    char_65 = models.CharField(default="", max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0091_idx"),
        ]


class Record0026(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.event")
    char_17 = models.CharField(default="", max_length=40)
    decimal_r57 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_45 = models.IntegerField(default=0)
    int_66 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0067_idx"),
            models.Index(fields=["decimal_r57"], name="audi_0139_idx"),
        ]


class Record0038(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0002")
    int_18 = models.IntegerField(default=0)
    bool_21 = models.BooleanField(default=False)
    decimal_30 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    char_33 = models.CharField(default="", max_length=40)
    bool_58 = models.BooleanField(default=False)
    decimal_61 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0050(models.Model):
    label = models.CharField(default="", max_length=140, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.event")
    char_71 = models.CharField(default="", max_length=40)


class Record0062(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0050")
    bool_r62 = models.BooleanField(default=False)
    bool_42 = models.BooleanField(default=False)
    char_49 = models.CharField(default="", max_length=40)
    int_67 = models.IntegerField(default=0)
    int_72 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0103_idx"),
        ]


class Record0074(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0002")
    bool_43 = models.BooleanField(default=False)
    decimal_46 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_50 = models.IntegerField(default=0)
    bool_63 = models.BooleanField(default=False)
    decimal_68 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0086(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0050")
    bool_64 = models.BooleanField(default=False)
    char_77 = models.CharField(default="", max_length=40)


class Record0098(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.snapshot")
    bool_r69 = models.BooleanField(default=False)
    int_78 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0163_idx"),
        ]


class Record0110(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0002")
    char_54 = models.CharField(default="", max_length=40)
    bool_70 = models.BooleanField(default=False)
    decimal_73 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0115_idx"),
        ]


class Record0122(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0038")


class Record0134(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0074")
    bool_74 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="audi_0175_idx"),
        ]


class Record0146(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0110")
    bool_75 = models.BooleanField(default=False)
    decimal_79 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0158(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.record0146")
    bool_76 = models.BooleanField(default=False)


class Record0170(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="audit.actor")
    bool_80 = models.BooleanField(default=False)
