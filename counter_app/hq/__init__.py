"""Head office: the PostgreSQL-backed server every branch node pushes its events to."""
