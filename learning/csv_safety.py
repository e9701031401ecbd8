"""CSV export cells: the one shared function lives in the hub (initiatives.csv_safety)."""

from initiatives.csv_safety import DANGEROUS_FIRST, safe_cell, safe_row

__all__ = ["DANGEROUS_FIRST", "safe_cell", "safe_row"]
