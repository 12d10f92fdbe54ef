"""Fee collection at the window (issue 4): account search and view, payments with receipts,
voids and refunds, the clerk's daily settlement. No Qt here; every call is one unit of work."""
