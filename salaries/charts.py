"""Coordinates for the inline SVG chart of monthly pay (no chart library, nothing from a CDN).
Coordinates are strings with a decimal point, so the Dutch locale cannot turn them into "12,5"."""

from decimal import Decimal

LEFT, RIGHT, TOP, BOTTOM = 90, 990, 20, 220


def _coordinate(value: float) -> str:
    return f"{value:.1f}"


def pay_chart(points) -> dict | None:
    """A step line through (month, monthly pay in force) points; the y-axis spans the lowest to the
    highest amount so step increases are visible, and the axis labels say where it starts."""
    if len(points) < 2:
        return None
    amounts = [amount for _, amount in points]
    low, high = min(amounts), max(amounts)
    span = (high - low) or Decimal(1)
    low_axis, high_axis = low - span * Decimal("0.1"), high + span * Decimal("0.1")
    width = (RIGHT - LEFT) / len(points)

    def y(value):
        return _coordinate(BOTTOM - float((value - low_axis) / (high_axis - low_axis)) * (BOTTOM - TOP))

    line = []
    for index, (_, amount) in enumerate(points):
        line += [
            f"{_coordinate(LEFT + index * width)},{y(amount)}",
            f"{_coordinate(LEFT + (index + 1) * width)},{y(amount)}",
        ]
    years = [
        {"x": _coordinate(LEFT + index * width), "label": str(month.year)}
        for index, (month, _) in enumerate(points)
        if month.month == 1 or index == 0
    ]
    if len(years) > 10:
        years = years[:: len(years) // 10 + 1]
    return {
        "points": " ".join(line),
        "y_ticks": [{"y": y(value), "value": value} for value in sorted({low, high})],
        "x_ticks": years,
        "low": low,
        "high": high,
    }
