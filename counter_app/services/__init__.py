"""Services: each call is one unit of work that returns plain data. No Qt here."""
