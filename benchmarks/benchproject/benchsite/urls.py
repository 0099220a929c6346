"""URL configuration of the benchmark project."""

from __future__ import annotations

from django.urls import path

from catalog import views as catalog_views
from orders import views as order_views

urlpatterns = [
    path("products/", catalog_views.product_list, name="product-list"),
    path("products/<str:sku>/", catalog_views.product_detail, name="product-detail"),
    path("orders/<int:order_id>/", order_views.order_detail, name="order-detail"),
]
