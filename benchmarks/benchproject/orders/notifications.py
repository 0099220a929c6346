"""Customer notifications: e-mail through Django, SMS through a provider's HTTP API (simulated)."""

from __future__ import annotations

import time

from django.core.mail import send_mail

from .models import Order


class SmsClient:
    latency = 0.08

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        time.sleep(self.latency)
        if not phone.startswith("+"):
            raise ValueError(f"{phone!r}: phone numbers need a country code")
        self.sent.append((phone, text))


def notify_status(order: Order, sms: SmsClient | None = None) -> None:
    customer = order.customer
    text = f"Order {order.pk} is now {order.get_status_display().lower()}."
    send_mail(f"Order {order.pk}", text, "shop@example.com", [customer.user.email])
    if customer.phone:
        (sms or SmsClient()).send(customer.phone, text)
