"""Warehouse app: stock movements between warehouses, reports, imports and stock counts."""
