"""Documents, the terms counted in them and the pairs found similar."""

from __future__ import annotations

from django.db import models


class Corpus(models.Model):
    name = models.CharField(max_length=60, unique=True)
    language = models.CharField(max_length=5, default="en")


class Document(models.Model):
    corpus = models.ForeignKey(Corpus, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=120)
    body = models.TextField()
    words = models.PositiveIntegerField(default=0)
    checksum = models.CharField(max_length=64, blank=True, default="")


class Term(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="terms")
    token = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["token"], name="term_token")]


class StopWord(models.Model):
    word = models.CharField(max_length=40, unique=True)


class Similarity(models.Model):
    left = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    method = models.CharField(max_length=12, default="cosine")
