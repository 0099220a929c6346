"""Models of ledger: generated from its migrations' final state; do not edit."""

import django.db.models.deletion
from django.db import models


class Account(models.Model):
    label = models.CharField(default="", max_length=80, db_index=True)
    weight = models.IntegerField(default=0)
    char_5 = models.CharField(default="", max_length=40)
    bool_9 = models.BooleanField(default=False)
    int_11 = models.IntegerField(default=0)
    char_15 = models.CharField(default="", max_length=40)
    int_22 = models.IntegerField(default=0)
    bool_26 = models.BooleanField(default=False)
    char_32 = models.CharField(default="", max_length=60, db_index=True)
    char_47 = models.CharField(default="", max_length=40)
    bool_62 = models.BooleanField(default=False)
    char_78 = models.CharField(default="", max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0016_idx"),
            models.Index(fields=["int_11"], name="ledg_0064_idx"),
            models.Index(fields=["int_22"], name="ledg_0160_idx"),
        ]


class Journal(models.Model):
    label = models.CharField(default="", max_length=100)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.account")
    decimal_1 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_3 = models.BooleanField(default=False)
    bool_14 = models.BooleanField(default=False)
    bool_19 = models.BooleanField(default=False)
    bool_41 = models.BooleanField(default=False)
    decimal_44 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_67 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0172_idx"),
        ]


class Entry(models.Model):
    label = models.CharField(default="", max_length=80, db_index=True)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.journal")
    decimal_r40 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    decimal_r66 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_33 = models.IntegerField(default=0)
    int_48 = models.IntegerField(default=0)
    decimal_70 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0004_idx"),
            models.Index(fields=["decimal_r40"], name="ledg_0100_idx"),
        ]


class Record0011(models.Model):
    label = models.CharField(default="", max_length=160)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.journal")
    char_52 = models.CharField(default="", max_length=40)
    bool_71 = models.BooleanField(default=False)
    decimal_75 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0028_idx"),
        ]


class Record0023(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0011")
    char_10 = models.CharField(default="", max_length=40)
    decimal_12 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    decimal_r45 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    char_27 = models.CharField(default="", max_length=40)
    bool_31 = models.BooleanField(default=False)
    char_37 = models.CharField(default="", max_length=40)
    int_53 = models.IntegerField(default=0)
    bool_72 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0040_idx"),
            models.Index(fields=["decimal_12"], name="ledg_0076_idx"),
            models.Index(fields=["decimal_r45"], name="ledg_0112_idx"),
        ]


class Record0035(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.account")
    decimal_r76 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_38 = models.IntegerField(default=0)
    bool_46 = models.BooleanField(default=False)
    decimal_49 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0047(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0035")
    char_21 = models.CharField(default="", max_length=60, db_index=True)
    char_58 = models.CharField(default="", max_length=40)
    bool_77 = models.BooleanField(default=False)


class Record0059(models.Model):
    label = models.CharField(default="", max_length=120)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0011")
    int_59 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0124_idx"),
        ]


class Record0071(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0059")
    bool_36 = models.BooleanField(default=False)
    char_42 = models.CharField(default="", max_length=40)
    bool_51 = models.BooleanField(default=False)
    decimal_54 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0088_idx"),
        ]


class Record0083(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.journal")
    int_43 = models.IntegerField(default=0)
    char_63 = models.CharField(default="", max_length=40)


class Record0095(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0035")
    bool_55 = models.BooleanField(default=False)
    int_64 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0136_idx"),
        ]


class Record0107(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0071")
    bool_56 = models.BooleanField(default=False)
    decimal_60 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0119(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0107")
    bool_57 = models.BooleanField(default=False)
    char_68 = models.CharField(default="", max_length=40)


class Record0131(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.entry")
    bool_61 = models.BooleanField(default=False)
    int_69 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ledg_0148_idx"),
        ]


class Record0143(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0011")
    decimal_65 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0155(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0035")
    char_73 = models.CharField(default="", max_length=40)


class Record0167(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0059")
    int_74 = models.IntegerField(default=0)


class Record0179(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="ledger.record0083")
