"""counter_app: the desktop program of a utility service hall (营业厅)."""

__version__ = "0.1.0"
