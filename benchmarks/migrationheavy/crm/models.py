"""Models of crm: generated from its migrations' final state; do not edit."""

import django.db.models.deletion
from django.db import models


class Contact(models.Model):
    label = models.CharField(default="", max_length=140)
    weight = models.IntegerField(default=0)
    bool_13 = models.BooleanField(default=False)
    int_15 = models.IntegerField(default=0)
    int_20 = models.IntegerField(default=0)
    bool_24 = models.BooleanField(default=False)
    int_58 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0118_idx"),
        ]


class Campaign(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.contact")
    char_14 = models.CharField(default="", max_length=40)
    char_19 = models.CharField(default="", max_length=60, db_index=True)
    char_57 = models.CharField(default="", max_length=40)
    bool_78 = models.BooleanField(default=False)


class Touchpoint(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.campaign")
    int_r77 = models.IntegerField(default=0)
    decimal_16 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_26 = models.IntegerField(default=0)
    decimal_33 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_37 = models.IntegerField(default=0)
    bool_46 = models.BooleanField(default=False)
    decimal_49 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    decimal_81 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0005(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.touchpoint")
    char_3 = models.CharField(default="", max_length=40)
    bool_18 = models.BooleanField(default=False)
    int_27 = models.IntegerField(default=0)
    bool_35 = models.BooleanField(default=False)
    char_42 = models.CharField(default="", max_length=40)
    bool_51 = models.BooleanField(default=False)
    decimal_54 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0010_idx"),
            models.Index(fields=["int_27"], name="crm_0082_idx"),
        ]


class Record0017(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.contact")
    char_8 = models.CharField(default="", max_length=80)
    char_31 = models.CharField(default="", max_length=60, db_index=True)
    int_43 = models.IntegerField(default=0)
    char_62 = models.CharField(default="", max_length=40)


class Record0029(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.touchpoint")
    int_r55 = models.IntegerField(default=0)
    int_32 = models.IntegerField(default=0)
    int_63 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0034_idx"),
            models.Index(fields=["int_r55"], name="crm_0130_idx"),
        ]


class Record0041(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.touchpoint")
    decimal_r39 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_56 = models.BooleanField(default=False)
    decimal_59 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0053(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0029")
    char_25 = models.CharField(default="", max_length=60, db_index=True)
    bool_40 = models.BooleanField(default=False)
    char_47 = models.CharField(default="", max_length=60, db_index=True)
    char_68 = models.CharField(default="", max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0094_idx"),
        ]


class Record0065(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.contact")
    bool_r60 = models.BooleanField(default=False)
    decimal_44 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_48 = models.IntegerField(default=0)
    int_69 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0070_idx"),
            models.Index(fields=["decimal_44"], name="crm_0142_idx"),
        ]


class Record0077(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0041")
    char_36 = models.CharField(default="", max_length=40)
    bool_61 = models.BooleanField(default=False)
    decimal_64 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0089(models.Model):
    label = models.CharField(default="", max_length=120)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.touchpoint")
    char_74 = models.CharField(default="", max_length=40)


class Record0101(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0005")
    char_52 = models.CharField(default="", max_length=40)
    bool_65 = models.BooleanField(default=False)
    int_70 = models.IntegerField(default=0)
    int_75 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0106_idx"),
        ]


class Record0113(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0041")
    int_53 = models.IntegerField(default=0)
    bool_66 = models.BooleanField(default=False)
    decimal_71 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0125(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0077")
    bool_67 = models.BooleanField(default=False)
    char_79 = models.CharField(default="", max_length=40)


class Record0137(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0113")
    bool_72 = models.BooleanField(default=False)
    int_80 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0166_idx"),
        ]


class Record0149(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.touchpoint")
    bool_73 = models.BooleanField(default=False)
    decimal_76 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0161(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.contact")


class Record0173(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="crm.record0017")

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="crm_0178_idx"),
        ]
