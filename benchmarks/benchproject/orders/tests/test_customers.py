"""Customers and the user accounts behind them."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission, User
from django.db import IntegrityError, transaction
from django.test import TestCase

from orders.models import Customer

from .factories import make_customer, make_customers


class CustomerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.alice = make_customer("cust-alice", phone="+49 30 1234")
        cls.crowd = make_customers("cust-crowd", 200)

    def test_str_is_username(self):
        self.assertEqual(str(self.alice), "cust-alice")

    def test_reverse_accessor(self):
        self.assertEqual(User.objects.get(username="cust-alice").customer, self.alice)

    def test_bulk_customers(self):
        self.assertEqual(
            Customer.objects.filter(user__username__startswith="cust-crowd-").count(), 200
        )

    def test_default_loyalty_points(self):
        self.assertEqual(self.alice.loyalty_points, 0)

    def test_one_customer_per_user(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Customer.objects.create(user=self.alice.user)

    def test_deleting_user_deletes_customer(self):
        User.objects.filter(username="cust-crowd-0007").delete()
        self.assertFalse(Customer.objects.filter(user__username="cust-crowd-0007").exists())

    def test_phone_is_optional(self):
        self.assertEqual(self.crowd[0].phone, "")

    def test_search_by_email_domain(self):
        self.assertEqual(Customer.objects.filter(user__email__endswith="@example.com").count(), 1)


class UserAccountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.staff = Group.objects.create(name="accounts-staff")
        cls.staff.permissions.add(Permission.objects.get(codename="change_order"))
        cls.customers = [make_customer(f"acct-{i}") for i in range(25)]
        cls.customers[0].user.groups.add(cls.staff)

    def test_authenticate_with_right_password(self):
        self.assertEqual(
            authenticate(username="acct-1", password="secret-password"), self.customers[1].user
        )

    def test_authenticate_with_wrong_password(self):
        self.assertIsNone(authenticate(username="acct-1", password="nope"))

    def test_password_is_hashed_with_md5_for_speed(self):
        self.assertTrue(self.customers[2].user.password.startswith("md5$"))

    def test_set_password(self):
        user = self.customers[3].user
        user.set_password("changed")
        user.save()
        self.assertTrue(User.objects.get(pk=user.pk).check_password("changed"))

    def test_group_permission(self):
        user = User.objects.get(username="acct-0")
        self.assertTrue(user.has_perm("orders.change_order"))

    def test_no_permission_without_group(self):
        self.assertFalse(User.objects.get(username="acct-4").has_perm("orders.change_order"))

    def test_inactive_user_cannot_log_in(self):
        User.objects.filter(username="acct-5").update(is_active=False)
        self.assertIsNone(authenticate(username="acct-5", password="secret-password"))

    def test_group_members(self):
        self.assertEqual(list(self.staff.user_set.values_list("username", flat=True)), ["acct-0"])
