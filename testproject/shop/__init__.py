"""Shop app: customers, tagged products, orders and their lines."""
