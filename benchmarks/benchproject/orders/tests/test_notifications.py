"""Order notifications: e-mails into Django's outbox, SMS through a slow provider."""

from __future__ import annotations

from django.core import mail
from django.test import TestCase

from catalog.tests.factories import make_category, make_products
from orders.models import Order
from orders.notifications import SmsClient, notify_status

from .factories import make_customer, make_order


class OrderNotificationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.products = make_products("NTF", make_category("notify"), 4)
        cls.texter = make_customer("notify-texter", phone="+31 20 555 0100")
        cls.quiet = make_customer("notify-quiet")
        cls.order = make_order(cls.texter, [(cls.products[0], 1)])

    def setUp(self):
        self.sms = SmsClient()

    def test_email_is_sent(self):
        notify_status(self.order, self.sms)
        self.assertEqual(len(mail.outbox), 1)

    def test_email_recipient(self):
        notify_status(self.order, self.sms)
        self.assertEqual(mail.outbox[0].to, ["notify-texter@example.com"])

    def test_sms_is_sent_when_phone_known(self):
        notify_status(self.order, self.sms)
        self.assertEqual(len(self.sms.sent), 1)

    def test_no_sms_without_phone(self):
        notify_status(make_order(self.quiet, [(self.products[1], 1)]), self.sms)
        self.assertEqual(self.sms.sent, [])

    def test_status_in_text(self):
        self.order.status = Order.Status.SHIPPED
        notify_status(self.order, self.sms)
        self.assertIn("shipped", self.sms.sent[0][1])

    def test_bad_phone_is_rejected(self):
        self.texter.phone = "020 555"
        self.texter.save()
        with self.assertRaises(ValueError):
            notify_status(Order.objects.get(pk=self.order.pk), self.sms)

    def test_each_status_change(self):
        for status in (Order.Status.PAID, Order.Status.SHIPPED):
            self.order.status = status
            notify_status(self.order, self.sms)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(len(self.sms.sent), 2)

    def test_outbox_starts_empty(self):
        self.assertEqual(mail.outbox, [])

    def test_subject_has_order_number(self):
        notify_status(self.order, self.sms)
        self.assertEqual(mail.outbox[0].subject, f"Order {self.order.pk}")

    def test_bulk_notifications(self):
        orders = [make_order(self.texter, [(p, 1)]) for p in self.products]
        for order in orders:
            notify_status(order, self.sms)
        self.assertEqual(len(self.sms.sent), 4)
