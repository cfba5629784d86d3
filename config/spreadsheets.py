"""CSV files that people open in a spreadsheet."""


def spreadsheet_safe(value):
    """Neutralise a cell a spreadsheet would read as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
