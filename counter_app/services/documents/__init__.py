"""Printed documents (receipts, slips, reports), drawn with reportlab and free of Qt."""
