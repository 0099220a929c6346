"""Orders app: customers, orders and their lines."""
