"""Models of warehouse: generated from its migrations' final state; do not edit."""

import django.db.models.deletion
from django.db import models


class Site(models.Model):
    label = models.CharField(default="", max_length=100)
    weight = models.IntegerField(default=0)
    decimal_1 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_3 = models.BooleanField(default=False)
    bool_14 = models.BooleanField(default=False)
    bool_19 = models.BooleanField(default=False)
    bool_43 = models.BooleanField(default=False)
    decimal_46 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    bool_71 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0169_idx"),
        ]


class Bin(models.Model):
    label = models.CharField(default="", max_length=140)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.site")
    char_55 = models.CharField(default="", max_length=60, db_index=True)
    bool_75 = models.BooleanField(default=False)
    decimal_79 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0025_idx"),
        ]


class Movement(models.Model):
    label = models.CharField(default="", max_length=60)
    weight = models.IntegerField(default=0)
    parent = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.bin")
    bool_r47 = models.BooleanField(default=False)
    char_5 = models.CharField(default="", max_length=40)
    bool_9 = models.BooleanField(default=False)
    char_10 = models.CharField(default="", max_length=40)
    decimal_12 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    decimal_24 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    char_28 = models.CharField(default="", max_length=40)
    bool_32 = models.BooleanField(default=False)
    char_38 = models.CharField(default="", max_length=40)
    int_51 = models.IntegerField(default=0)
    int_56 = models.IntegerField(default=0)
    bool_76 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0013_idx"),
            models.Index(fields=["decimal_12"], name="ware_0037_idx"),
            models.Index(fields=["decimal_24"], name="ware_0073_idx"),
        ]


class Record0008(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.site")
    decimal_r80 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_29 = models.IntegerField(default=0)
    decimal_35 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)
    int_39 = models.IntegerField(default=0)
    bool_48 = models.BooleanField(default=False)
    decimal_52 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0020(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.bin")
    char_15 = models.CharField(default="", max_length=40)
    char_21 = models.CharField(default="", max_length=60, db_index=True)
    char_61 = models.CharField(default="", max_length=40)
    bool_81 = models.BooleanField(default=False)


class Record0032(models.Model):
    label = models.CharField(default="", max_length=120)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0008")
    int_22 = models.IntegerField(default=0)
    bool_26 = models.BooleanField(default=False)
    int_62 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0121_idx"),
        ]


class Record0044(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0008")
    bool_27 = models.BooleanField(default=False)
    bool_37 = models.BooleanField(default=False)
    int_40 = models.IntegerField(default=0)
    char_44 = models.CharField(default="", max_length=40)
    bool_54 = models.BooleanField(default=False)
    decimal_57 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0061_idx"),
        ]


class Record0056(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.bin")
    char_33 = models.CharField(default="", max_length=60, db_index=True)
    int_45 = models.IntegerField(default=0)
    char_67 = models.CharField(default="", max_length=40)


class Record0068(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0032")
    int_r58 = models.IntegerField(default=0)
    int_68 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0133_idx"),
        ]


class Record0080(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.site")
    bool_42 = models.BooleanField(default=False)
    bool_59 = models.BooleanField(default=False)
    decimal_63 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0092(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0008")
    char_49 = models.CharField(default="", max_length=60, db_index=True)
    bool_60 = models.BooleanField(default=False)
    char_72 = models.CharField(default="", max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0097_idx"),
        ]


class Record0104(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0044")
    int_r64 = models.IntegerField(default=0)
    int_73 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0145_idx"),
        ]


class Record0116(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0080")
    bool_65 = models.BooleanField(default=False)
    decimal_69 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0128(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0116")
    bool_66 = models.BooleanField(default=False)
    char_77 = models.CharField(default="", max_length=40)


class Record0140(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.bin")
    bool_70 = models.BooleanField(default=False)
    int_78 = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["weight"], name="ware_0157_idx"),
        ]


class Record0152(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0008")
    decimal_74 = models.DecimalField(decimal_places=2, default="0.00", max_digits=12)


class Record0164(models.Model):
    label = models.CharField(default="", max_length=100, db_index=True)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0032")
    char_82 = models.CharField(default="", max_length=40)


class Record0176(models.Model):
    label = models.CharField(default="", max_length=80)
    weight = models.IntegerField(default=0)
    owner = models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="warehouse.record0056")
    int_83 = models.IntegerField(default=0)
