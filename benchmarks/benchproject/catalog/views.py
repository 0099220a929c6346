"""JSON views of the catalogue."""

from __future__ import annotations

from django.http import Http404, JsonResponse

from .models import Product


def _as_dict(product: Product) -> dict:
    return {
        "sku": product.sku,
        "name": product.name,
        "price": str(product.price),
        "stock": product.stock,
        "category": product.category.slug,
        "tags": sorted(tag.name for tag in product.tags.all()),
    }


def product_list(request):
    products = (
        Product.objects.filter(is_active=True).select_related("category").prefetch_related("tags")
    )
    if category := request.GET.get("category"):
        products = products.filter(category__slug=category)
    limit = min(int(request.GET.get("limit", 50)), 200)
    return JsonResponse(
        {"results": [_as_dict(p) for p in products[:limit]], "count": products.count()}
    )


def product_detail(request, sku: str):
    try:
        product = Product.objects.select_related("category").get(sku=sku, is_active=True)
    except Product.DoesNotExist:
        raise Http404(sku) from None
    return JsonResponse(_as_dict(product))
