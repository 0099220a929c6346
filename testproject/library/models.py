"""Models of the library app."""

from __future__ import annotations

import datetime

from django.db import models

from library import loans
from library.validators import validate_isbn


class Author(models.Model):
    name = models.CharField(max_length=100)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Genre(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    genres = models.ManyToManyField(Genre, related_name="books", blank=True)
    isbn = models.CharField(max_length=13, unique=True, validators=[validate_isbn])
    published = models.DateField()
    pages = models.PositiveIntegerField()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.PROTECT, related_name="loans")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="loans")
    borrowed_on = models.DateField()
    returned_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["borrowed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.book} -> {self.member}"

    @property
    def due_on(self) -> datetime.date:
        return loans.due_date(self.borrowed_on)
