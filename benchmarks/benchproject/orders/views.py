"""JSON view of one order."""

from __future__ import annotations

from django.http import Http404, JsonResponse

from .models import Order


def order_detail(request, order_id: int):
    try:
        order = (
            Order.objects.select_related("customer__user")
            .prefetch_related("lines__product")
            .get(pk=order_id)
        )
    except Order.DoesNotExist:
        raise Http404(order_id) from None
    return JsonResponse(
        {
            "id": order.pk,
            "customer": order.customer.user.username,
            "status": order.status,
            "total": str(order.total),
            "lines": [
                {
                    "sku": line.product.sku,
                    "quantity": line.quantity,
                    "unit_price": str(line.unit_price),
                }
                for line in order.lines.all()
            ],
        }
    )
