"""Server-side charts as inline SVG (no script): a line over periods, or bars across areas or indicators.

Every chart carries a ``<title>`` and a ``<desc>`` (its text alternative); the full figures are always in
the table next to it.
"""

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 90, 20, 20, 90
PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#b7950b")
MAX_SERIES = 8


def _nice_max(value):
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt(value):
    if abs(value) >= 1000:
        return f"{value:,.0f}".replace(",", ".")
    return f"{value:g}".replace(".", ",")


def chart_data(observations, indicator=None):
    """Choose what to draw: ``(kind, title, periods, series)`` where series is ``[(name, {period: value})]``."""
    rows = [o for o in observations if isinstance(o.get("value"), int | float)]
    if not rows:
        return None
    indicators = list(dict.fromkeys(o["indicator"] for o in rows))
    areas = list(dict.fromkeys(o["area"] for o in rows))
    if len(areas) > 1:
        chosen = indicator if indicator in indicators else indicators[0]
        rows = [o for o in rows if o["indicator"] == chosen]
        key, title = "area", chosen
    else:
        key, title = "indicator", areas[0]
    periods = sorted({o["period"] for o in rows})
    series = {}
    for o in rows:
        series.setdefault(o[key], {})[o["period"]] = o["value"]
    series = list(series.items())[:MAX_SERIES]
    kind = "line" if len(periods) > 1 else "bar"
    return kind, title, periods, series


def render_svg(observations, indicator=None, units="", chart_id="chart"):
    """Return ``(Markup svg, description)`` or ``(None, "")`` when there is nothing to draw."""
    data = chart_data(observations, indicator)
    if data is None:
        return None, ""
    kind, title, periods, series = data
    values = [v for _, points in series for v in points.values()]
    low = min(0, min(values))
    high = _nice_max(max(values)) if max(values) > 0 else 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(v):
        return TOP + plot_h - (v - low) / (high - low) * plot_h

    parts = []
    for i in range(5):  # grid and axis labels
        v = low + (high - low) * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="axis">{escape(_fmt(v))}</text>'
        )
    if kind == "line":
        step = plot_w / max(1, len(periods) - 1)
        xs = {p: LEFT + i * step for i, p in enumerate(periods)}
        for p in periods:
            parts.append(
                f'<text x="{xs[p]:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" class="axis">{escape(p)}</text>'
            )
        for n, (name, points) in enumerate(series):
            color = PALETTE[n % len(PALETTE)]
            coords = " ".join(f"{xs[p]:.1f},{y(points[p]):.1f}" for p in periods if p in points)
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2.5"/>')
            for p in periods:
                if p in points:
                    parts.append(
                        f'<circle cx="{xs[p]:.1f}" cy="{y(points[p]):.1f}" r="3.5" fill="{color}">'
                        f"<title>{escape(name)}, {escape(p)}: {escape(_fmt(points[p]))}</title></circle>"
                    )
    else:
        period = periods[0]
        band = plot_w / len(series)
        for n, (name, points) in enumerate(series):
            value = points.get(period, 0)
            x = LEFT + n * band + band * 0.15
            top = y(max(value, 0))
            height = abs(y(value) - y(0))
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{band * 0.7:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[n % len(PALETTE)]}"><title>{escape(name)}: {escape(_fmt(value))}</title></rect>'
                f'<text x="{x + band * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end" class="axis" '
                f'transform="rotate(-30 {x + band * 0.35:.1f} {HEIGHT - BOTTOM + 16})">{escape(name[:28])}</text>'
            )
    legend = []
    if kind == "line":
        columns = 4 if max(len(name) for name, _ in series) <= 18 else 2
        width = 44 if columns == 2 else 22
        for n, (name, _) in enumerate(series):
            lx = LEFT + (n % columns) * (plot_w / columns)
            ly = TOP + plot_h + 42 + (n // columns) * 18
            legend.append(
                f'<rect x="{lx:.1f}" y="{ly - 9}" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>'
                f'<text x="{lx + 16:.1f}" y="{ly + 1}" class="legend">{escape(name[:width])}</text>'
            )
        rows = -(-len(series) // columns)
        height = max(HEIGHT, TOP + plot_h + 42 + rows * 18 + 8)
    else:
        height = HEIGHT
    names = ", ".join(name for name, _ in series)
    if kind == "line":
        description = (
            f"Biểu đồ đường: {title}{' (' + units + ')' if units else ''}, từ {periods[0]} đến {periods[-1]}, "
            f"gồm: {names}. Số liệu chi tiết ở bảng bên dưới."
        )
    else:
        description = (
            f"Biểu đồ cột: {title}{' (' + units + ')' if units else ''}, kỳ {periods[0]}, so sánh: {names}. "
            "Số liệu chi tiết ở bảng bên dưới."
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" class="axis-line"/>'
        + "".join(parts)
        + "".join(legend)
        + "</svg>"
    )
    # Every text from the data went through escape() above; numbers and ids are formatted here.
    return Markup(svg), description  # noqa: S704
