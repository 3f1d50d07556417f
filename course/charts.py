"""Charts in one house style, for the module's data tables.

Every function takes records from :func:`course.data.load` (filtered as you like) and a ``title``
that states the finding (required), and returns a :class:`Chart`: the matplotlib figure plus
``alt_text``, a plain-language description of what the figure shows (chart type, what is plotted,
the range of the data, the source) for screen readers.

House style:

* the title states the finding; a smaller subtitle says what is plotted, with units;
* axis labels carry units; a source line under the plot names the publishers of the rows shown;
* colours come from the Okabe–Ito palette (safe for colour-blind readers), and every series also
  has its own marker and line style (bars: group headings and value labels; the map: hatching), so
  colour is never the only cue;
* where sources disagree, each source's figures are their own series or bar, labelled with whose
  figure it is.

In a notebook, put the chart as the last expression of a cell (or call ``chart.show()``): the
figure is displayed once, as an HTML ``<img>`` (a 256-colour PNG) whose alt is the alt text, and the cell's
text output is the chart's ``repr`` — its title and alt text, which contain no memory addresses,
so notebook tests (nbval) see the same text on every run. The figures are made with
``matplotlib.figure.Figure``, not ``pyplot``, so the inline backend does not show them a second
time. ``chart.save("file.png")`` writes the PNG.

matplotlib is imported inside the functions, so importing this module is fast.
"""

from __future__ import annotations

import base64
import datetime as _dt
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .numbers import for_people

__all__ = [
    "Chart",
    "OKABE_ITO",
    "PALETTE",
    "MARKERS",
    "LINESTYLES",
    "time_series",
    "partner_comparison",
    "timeline",
    "source_line",
]

#: The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The order in which series get their colours (yellow last: it is pale on white).
PALETTE = tuple(
    OKABE_ITO[c]
    for c in ("blue", "orange", "bluish_green", "vermillion", "reddish_purple", "sky_blue", "black", "yellow")
)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "p", "<", ">", "d", "8")
LINESTYLES = ("-", "--", "-.", ":")
GRID = "#d9d9d9"
TEXT_GREY = "#333333"
NO_DATA_GREY = "#e6e6e6"
BORDER_GREY = "#555555"  # the borders of states with a standing, on the map
NO_DATA_BORDER = "#aaaaaa"  # the borders of the others


_UNIT_SCALES = {
    "USD": ("USD", 1.0),
    "USD thousand": ("USD", 1e3),
    "USD million": ("USD", 1e6),
    "million USD": ("USD", 1e6),
    "USD billion": ("USD", 1e9),
    "billion USD": ("USD", 1e9),
    "persons": ("persons", 1.0),
    "thousand persons": ("persons", 1e3),
    "million persons": ("persons", 1e6),
    "kg": ("tonnes", 1e-3),
    "tonnes": ("tonnes", 1.0),
    "thousand tonnes": ("tonnes", 1e3),
    "million tonnes": ("tonnes", 1e6),
}


# --------------------------------------------------------------------------------------------------
# The Chart object
# --------------------------------------------------------------------------------------------------


#: The resolution of the pictures the notebooks show (Chart.png).
PNG_DPI = 110


def _let_go(figure: Any) -> None:
    """Free the figure's drawing surface (width x height x 4 bytes: about 6 MB for a wide chart) once it has been
    measured or drawn. A notebook keeps every chart it showed (Out[...]); without this it keeps each one's pixels
    too. The figure gets a fresh canvas with no surface, and each text forgets the surface it was last measured on
    (matplotlib itself drops that memory when it copies a figure: Text.__getstate__); the next draw measures again."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    for text in figure.findobj(lambda artist: hasattr(artist, "_renderer")):
        text._renderer = None
    _give_back()


def _give_back() -> None:
    """Hand the memory just freed back to the operating system. The C library keeps freed memory for later
    (about 15 MB after drawing a map), so an idle kernel would go on holding it: on a hub, every student's kernel.
    glibc (Linux) only; elsewhere nothing is done."""
    global _TRIM
    if _TRIM is None:
        import ctypes

        try:  # the C library the interpreter runs on (glibc has malloc_trim; musl, macOS and Windows do not)
            _TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError, TypeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM: Any = None  # glibc's malloc_trim, False where there is none


#: Rows of pixels reduced to the palette at a time (_palette_picture).
BAND_ROWS = 128


def _palette_picture(image: Any) -> Any:
    """``image`` (RGBA) in at most 256 colours, without dithering. Pillow's quantizer needs about 8 bytes a pixel
    (12 MB for a map, more than the picture itself), so the palette is chosen from the picture at half size and
    the full picture is mapped to it a band of rows at a time: under 3 MB. Each pixel becomes its nearest palette
    colour: on average one level in 255 off, a few anti-aliased edge pixels more."""
    from PIL import Image

    flat = Image.Dither.NONE
    palette = image.reduce(2).convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=flat)
    picture = Image.new("P", image.size)
    picture.putpalette(palette.getpalette())
    for top in range(0, image.height, BAND_ROWS):
        band = image.crop((0, top, image.width, min(top + BAND_ROWS, image.height))).convert("RGB")
        picture.paste(band.quantize(palette=palette, dither=flat), (0, top))
    return picture


class Chart:
    """A finished figure: ``figure`` (a matplotlib Figure), ``alt_text``, ``title``, ``source_line``."""

    def __init__(self, figure: Any, alt_text: str, title: str, source_line: str, key: Any = None):
        self.figure = figure
        self.alt_text = alt_text
        self.title = title
        self.source_line = source_line
        self.key = key  # a Table shown under the picture (e.g. every event of a timeline), or None
        # lay the figure out once, here, and keep that layout: every picture of this chart is then the same, and
        # a layout engine left on would lay the figure out again at every draw (a third of a picture's time: all
        # text is measured again). Positions are fractions of the figure, so save(dpi=150) has the same layout.
        if hasattr(figure, "draw_without_rendering"):
            if figure.stale or figure.get_dpi() != PNG_DPI:  # not laid out yet, or changed since (not stale:
                figure.set_dpi(PNG_DPI)  # the chart function's last step was to lay it out, e.g. _fit_legend)
                figure.draw_without_rendering()  # the layout depends on the resolution: at the one png() uses
            figure.set_layout_engine("none")
            _let_go(figure)
        self._png: tuple[int, bytes] | None = None  # (dpi, bytes) of the last picture, while the figure is unchanged

    def png(self, dpi: int = PNG_DPI) -> bytes:
        """The figure as PNG bytes, in 256 colours (a chart has few; the file is about a third of a full-colour
        one, and notebooks store it). No timestamp or version in the file: the same chart gives the same bytes.

        The figure is drawn once, its pixels are reduced to 256 colours and written as PNG once (not written as a
        full-colour PNG first and read back), and the drawing surface is let go (_let_go). The bytes are kept until
        the figure changes, so showing the same chart again costs nothing."""
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        if self._png is not None and self._png[0] == dpi and not self.figure.stale:
            return self._png[1]
        figure = self.figure
        keep = figure.get_dpi()
        figure.set_dpi(dpi)
        try:
            canvas = FigureCanvasAgg(figure)  # a canvas of our own, freed when this returns
            canvas.draw()
            width, height = canvas.get_width_height(physical=True)
            with Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1) as image:
                picture = _palette_picture(image)
            del canvas
        finally:
            figure.set_dpi(keep)
            _let_go(figure)
        out = io.BytesIO()
        picture.save(out, format="PNG")
        figure.stale = False
        self._png = (dpi, out.getvalue())
        return self._png[1]

    def save(self, path: str | Path, dpi: int = 150) -> Path:
        """Write the figure to ``path`` (format from the suffix, e.g. .png, .svg, .pdf); return the path."""
        path = Path(path)
        meta = {"Software": None} if path.suffix.lower() == ".png" else None
        self.figure.savefig(path, dpi=dpi, metadata=meta, facecolor="white")
        return path

    def show(self) -> None:
        """Display the chart in a notebook (same as making it the last expression of a cell)."""
        try:
            from IPython.display import display
        except ImportError:  # pragma: no cover - outside Jupyter/IPython
            raise RuntimeError("show() needs IPython (a notebook); use chart.save('chart.png') instead") from None
        display(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """The picture once, as an HTML <img> whose alt is the alt text, and the title + alt text as plain text.
        Not an image/png output: JupyterLab draws those without any alt (it ignores the output's metadata), and
        a PNG beside the <img> would store every chart twice in the notebook."""
        import html

        png = base64.b64encode(self.png()).decode("ascii")
        img = (f'<img src="data:image/png;base64,{png}" alt="{html.escape(self.alt_text, quote=True)}" '
               f'style="max-width:100%;height:auto" class="course-chart">')
        text = repr(self)
        if self.key is not None:
            img += (f'<details class="course-chart-key"><summary>{html.escape(self.key.caption)} (click to open)'
                    f"</summary>{self.key._repr_html_()}</details>")
            text += "\n" + repr(self.key)
        return {"text/html": img, "text/plain": text}

    def __repr__(self) -> str:
        return f"Chart: {self.title}\nAlt text: {self.alt_text}"


# --------------------------------------------------------------------------------------------------
# Helpers shared by the chart functions
# --------------------------------------------------------------------------------------------------


def _require_title(title: Any) -> str:
    if not isinstance(title, str) or not title.strip():
        raise ValueError(
            "give the chart a title that states the finding, e.g. title='Remittances equal about a quarter of GDP'"
        )
    return " ".join(title.split())


def _get(record: Any, field: str | Callable | None) -> Any:
    if field is None:
        return None
    if callable(field):
        return field(record)
    try:
        return getattr(record, field)
    except AttributeError:
        raise ValueError(f"the records have no column {field!r}") from None


def _fmt(v: Any) -> str:
    """A number as text with thousands separators, without float noise (23.8, 2,406,850,000)."""
    if isinstance(v, _dt.date):
        return v.isoformat()
    if v is None:
        return str(v)
    return for_people(v)


def _fmt_x(v: Any) -> str:
    """An x value (a year or a date) as text: 2024, 2025-11-26."""
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _short_publisher(publisher: str) -> str:
    p = re.sub(r"\s*\([^)]*\)", "", publisher or "")
    p = re.split(r",\s*(?:citing|quoting|reporting|text from|statement)\b", p)[0]
    return p.strip(" ,") or (publisher or "").strip()


def _table_names(records: Iterable[Any]) -> list[str]:
    names = []
    for r in records:
        t = getattr(type(r), "__table__", None)
        if t and t not in names:
            names.append(t)
    return names


def _source_labels(records: Sequence[Any]) -> Callable[[Any], str]:
    """A series label per source: the publisher, plus the start of the title when a publisher has several."""
    srcs = {}
    for r in records:
        src = getattr(r, "source", None) or {}
        srcs[src.get("id")] = src
    by_pub: dict[str, list[str]] = {}
    for sid, src in srcs.items():
        by_pub.setdefault(_short_publisher(src.get("publisher", "")) or "data", []).append(sid)
    labels = {}
    for pub, ids in by_pub.items():
        for sid in ids:
            if len(ids) == 1:
                labels[sid] = pub
            else:
                title = srcs[sid].get("title", "") or sid
                labels[sid] = f"{pub}: {title[:38].rstrip()}{'…' if len(title) > 38 else ''}"
    return lambda r: labels[(getattr(r, "source", None) or {}).get("id")]


def source_line(records: Sequence[Any], prefix: str = "Source", limit: int = 230) -> str:
    """ "Source: publisher; publisher; ... (data/table.csv)" for the records shown in a chart.

    Publishers are listed most-cited first; past ``limit`` characters the rest are counted
    ("and 12 more"). The full citations are ``course.data.sources(table)``.
    """
    counts: Counter[str] = Counter()
    for r in records:
        src = getattr(r, "source", None) or {}
        if src.get("publisher"):
            counts[_short_publisher(src["publisher"])] += 1
    names = [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))]
    shown: list[str] = []
    for i, n in enumerate(names):
        if len("; ".join(shown + [n])) > limit and shown:
            shown.append(f"and {len(names) - i} more")
            break
        shown.append(n)
    tables = _table_names(records)
    where = ""
    if tables:
        files = ", ".join(f"data/{t}.csv" for t in tables)
        calls = ", ".join(f"data.sources({t!r})" for t in tables)
        where = f" (rows of {files}; full citations: {calls})"
    return f"{prefix}: {'; '.join(shown) if shown else 'not stated'}{where}."


def _units(records: Sequence[Any], value_field: str) -> tuple[list[float], str | None]:
    """The values of ``value_field`` in one unit (the largest one among the rows), and that unit.

    Rows in units of the same kind (USD, USD million, USD billion) are converted for plotting only;
    rows in units that cannot be converted raise ValueError, so percentages never mix with money.
    """
    values = [_get(r, value_field) for r in records]
    if any(not isinstance(v, (int, float)) for v in values):
        raise ValueError(f"every record needs a number in {value_field!r}")
    units = [getattr(r, "unit", None) for r in records]
    distinct = list(dict.fromkeys(u for u in units))
    if len(distinct) <= 1:
        return [float(v) for v in values], distinct[0] if distinct else None
    if any(u not in _UNIT_SCALES for u in distinct) or len({_UNIT_SCALES[u][0] for u in distinct}) != 1:
        raise ValueError(
            f"the records mix units that cannot be put on one axis ({', '.join(map(str, distinct))}); "
            "filter them first, e.g. [r for r in rows if r.unit == 'USD billion']"
        )
    target = max(distinct, key=lambda u: _UNIT_SCALES[u][1])  # the largest unit gives readable numbers
    t_scale = _UNIT_SCALES[target][1]
    return [float(v) * _UNIT_SCALES[u][1] / t_scale for v, u in zip(values, units)], target


def _with_unit(label: str, unit: str | None) -> str:
    if unit and unit.lower() not in label.lower():
        return f"{label} ({unit})"
    return label


def _new_figure(width: float, height: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # at the resolution of the pictures: the layout depends on it, and Chart need not lay the figure out again
    fig = Figure(figsize=(width, height), dpi=PNG_DPI, layout="constrained", facecolor="white")
    FigureCanvasAgg(fig)  # a canvas of our own: the figure is not registered with pyplot
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
    return fig


#: How wide a chart is shown, in CSS pixels: the output area of a notebook in JupyterLab or Notebook 7 in a window
#: about 1280 pixels wide (the <img> is shown at most this wide: max-width 100%). Footnotes and source lines are
#: sized so that at this width they are at least FOOTNOTE_MIN_PT points tall on screen.
DISPLAY_WIDTH_PX = 800
FOOTNOTE_MIN_PT = 8.0


def displayed_pt(fontsize: float, figure_width_in: float) -> float:
    """How tall text of ``fontsize`` points in a figure ``figure_width_in`` inches wide is on screen, in points,
    when the figure is shown DISPLAY_WIDTH_PX wide (1 CSS point = 96/72 pixels)."""
    return fontsize * DISPLAY_WIDTH_PX / (96 * figure_width_in)


def footnote_size(fig: Any) -> float:
    """The font size (points, in the figure) that shows as FOOTNOTE_MIN_PT on screen, and never less than 8."""
    width = float(fig.get_size_inches()[0])
    return round(max(8.0, FOOTNOTE_MIN_PT * 96 * width / DISPLAY_WIDTH_PX), 2)


def _finish(fig: Any, title: str, subtitle: str | None, src: str, note: str | None, width_chars: int,
            after: str | None = None) -> None:
    fig.suptitle(
        textwrap.fill(title, width=int(width_chars * 0.72)),
        x=0.01,
        ha="left",
        fontsize=14,
        fontweight="bold",
    )
    foot = src if not note else f"{note}\n{src}"
    if after:
        foot += f"\n{after}"
    size = footnote_size(fig)
    lines = []
    for para in foot.split("\n"):
        lines.append(textwrap.fill(para, width=int(width_chars * 1.4 * 8 / size)))
    fig.supxlabel("\n".join(lines), x=0.01, ha="left", fontsize=size, color=TEXT_GREY, linespacing=1.3)
    if subtitle:
        axes = [a for a in fig.axes if a.get_label() != "<colorbar>"]
        if axes:
            axes[0].set_title(subtitle, loc="left", fontsize=10.5, color=TEXT_GREY, pad=8)


def _fit_legend(fig: Any, ax: Any) -> None:
    """Make the figure taller when the legend beside the plot is taller than the plot itself."""
    legend = ax.get_legend()
    if legend is None:
        return
    import warnings

    for _ in range(3):
        with warnings.catch_warnings():
            # a legend taller than the figure squeezes the plot to nothing on the first try; the figure grows next
            warnings.filterwarnings("ignore", "constrained_layout not applied", UserWarning)
            fig.draw_without_rendering()  # lays the figure out and measures it; no pixels are drawn
        renderer = fig.canvas.get_renderer()
        need = legend.get_window_extent(renderer).height - ax.get_window_extent(renderer).height
        if need <= 2:
            return
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, h + need / fig.dpi + 0.2)


def _style_axes(ax: Any, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#555555")
    ax.spines["bottom"].set_color("#555555")
    ax.tick_params(colors="#222222", labelsize=9.5)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _thousands(ax: Any, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: _fmt(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _edge(colour: str) -> str:
    """Marker edge colour: dark for the pale yellow of the palette, else the colour itself."""
    return "#333333" if colour == OKABE_ITO["yellow"] else colour


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(str(text), width=width, break_long_words=False)


# --------------------------------------------------------------------------------------------------
# time_series
# --------------------------------------------------------------------------------------------------


def time_series(
    records: Sequence[Any],
    *,
    title: str,
    x: str = "year",
    y: str = "value",
    series: str | Callable[[Any], str] | None = None,
    ylabel: str,
    xlabel: str = "Year",
    subtitle: str | None = None,
    note: str | None = None,
    ymin: float | None = 0,
    dodge: bool = True,
    connect: bool | Iterable[str] = True,
    width: float = 10.0,
    height: float = 6.0,
) -> Chart:
    """A line chart of ``y`` against ``x``, one series per value of ``series``.

    ``series`` is a column name (e.g. ``"reported_by"``) or a function ``record -> label``; by default
    each source is its own series (labelled with its publisher), so figures from sources that disagree
    are never joined into one line. A series with one point (or several points in the same year) is
    drawn as markers only.
    ``ylabel`` must say what is measured; the unit is added from the rows' ``unit`` column when it is
    missing. With ``dodge``, series that share a year are shifted slightly apart so none hides another.
    ``connect`` says which series are joined by lines: all (``True``), none (``False``), or only the
    labels you list — join only figures that count the same thing in the same way.
    """
    title = _require_title(title)
    records = [r for r in records if _get(r, y) is not None and _get(r, x) is not None]
    if not records:
        raise ValueError("no records to plot (check your filter)")
    if any(hasattr(r, "unit") for r in records):
        values, unit = _units(records, y)
    else:
        values, unit = [float(_get(r, y)) for r in records], None
    if series is None:
        series = _source_labels(records)

    groups: dict[str, list[tuple[Any, float, Any]]] = {}
    for r, v in zip(records, values):
        groups.setdefault(str(_get(r, series)), []).append((_get(r, x), v, r))
    for pts in groups.values():
        pts.sort(key=lambda p: p[0])

    def joined(name: str, pts: list) -> bool:
        wanted = connect if isinstance(connect, bool) else name in set(connect)
        return wanted and len(pts) > 1 and len({p[0] for p in pts}) == len(pts)

    lines = {name: joined(name, pts) for name, pts in groups.items()}
    # which series have a point at each x; lines keep their exact x, the markers of the other series
    # that share that x are shifted to alternate sides (+1, -1, +2, ... steps) so none hides another
    at_x: dict[Any, list[str]] = {}
    for name, pts in groups.items():
        for xv in dict.fromkeys(p[0] for p in pts):
            at_x.setdefault(xv, []).append(name)
    is_date = isinstance(next(iter(at_x)), _dt.date)
    shifts: dict[tuple[str, Any], float] = {}
    if dodge and not is_date:
        for xv, names in at_x.items():
            movable = [n for n in names if not lines[n]]
            if len(names) < 2 or not movable:
                continue
            step = min(0.8 / len(names), 0.16)
            for j, n in enumerate(movable):
                if len(movable) == len(names):
                    off = (j - (len(movable) - 1) / 2) * step
                else:
                    off = ((j // 2) + 1) * step * (1 if j % 2 == 0 else -1)
                shifts[(n, xv)] = off

    fig = _new_figure(width, height)
    ax = fig.add_subplot()
    _style_axes(ax)
    for i, (name, pts) in enumerate(groups.items()):
        colour = PALETTE[i % len(PALETTE)]
        edge = _edge(colour)
        marker = MARKERS[i % len(MARKERS)]
        style = LINESTYLES[i % len(LINESTYLES)]
        xs = [xv + shifts.get((name, xv), 0.0) if not is_date else xv for xv, _v, _r in pts]
        ys = [p[1] for p in pts]
        connect_this = lines[name]
        ax.plot(
            xs,
            ys,
            color=colour,
            marker=marker,
            linestyle=style if connect_this else "none",
            linewidth=2 if connect_this else 0,
            markersize=7.5,
            markeredgecolor=edge if edge != colour else ("white" if connect_this else colour),
            markeredgewidth=0.8,
            label=_wrap(name, 34),
            zorder=3,
        )
    if ymin is not None:
        top = max(values)
        ax.set_ylim(ymin, top * 1.12 if top > 0 else 1)
    if not is_date:
        xs_all = sorted(at_x)
        span = xs_all[-1] - xs_all[0]
        ax.set_xlim(xs_all[0] - 0.6, xs_all[-1] + 0.6)
        from matplotlib.ticker import MaxNLocator, MultipleLocator

        if span <= 12:
            ax.xaxis.set_major_locator(MultipleLocator(1))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    _thousands(ax)
    ylabel_full = _with_unit(ylabel, unit)
    ax.set_ylabel(_wrap(ylabel_full, 50), fontsize=10.5)
    ax.set_xlabel(xlabel, fontsize=10.5)
    if len(groups) > 1:
        ax.legend(
            title="Whose figure",
            alignment="left",
            title_fontsize=9.5,
            fontsize=9,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            labelspacing=0.9,
            handlelength=3.2,
        )
    src = source_line(records)
    _finish(fig, title, subtitle or f"{ylabel_full}, by year and by whose figure it is", src, note, int(width * 11))
    _fit_legend(fig, ax)

    # alt text
    xs_sorted = sorted(at_x)
    parts = []
    for name, pts in groups.items():
        if len(pts) == 1:
            parts.append(f"{name}: {_fmt(pts[0][1])} in {_fmt_x(pts[0][0])}")
        else:
            lo = min(pts, key=lambda p: p[1])
            hi = max(pts, key=lambda p: p[1])
            parts.append(
                f"{name}: {len(pts)} values from {_fmt_x(pts[0][0])} to {_fmt_x(pts[-1][0])}, "
                f"lowest {_fmt(lo[1])} ({_fmt_x(lo[0])}), highest {_fmt(hi[1])} ({_fmt_x(hi[0])})"
            )
    kind = "Line chart" if any(len(p) > 1 for p in groups.values()) else "Dot chart"
    alt = (
        f"{kind} of {ylabel_full} by {xlabel.lower()}, {_fmt_x(xs_sorted[0])} to {_fmt_x(xs_sorted[-1])}, "
        f"{len(records)} values in {len(groups)} series. " + "; ".join(parts) + f". {src}"
    )
    return Chart(fig, alt, title, src)


# --------------------------------------------------------------------------------------------------
# partner_comparison
# --------------------------------------------------------------------------------------------------


def partner_comparison(
    records: Sequence[Any],
    *,
    title: str,
    category: str | Callable[[Any], str] = "partner",
    label: str | Callable[[Any], str] = "reporter",
    value: str = "value",
    xlabel: str,
    subtitle: str | None = None,
    note: str | None = None,
    width: float = 10.0,
    height: float | None = None,
) -> Chart:
    """Horizontal bars, one per record, grouped by ``category`` (e.g. trade partner).

    Each bar is labelled with ``label`` (by default the ``reporter`` column: whose statistics the
    figure is) and with its value; the bars of a group share a colour, and each group is named in
    bold above its bars, so colour is never the only cue. ``xlabel`` must say what is measured;
    the unit is added from the rows' ``unit`` column when it is missing.
    """
    title = _require_title(title)
    records = [r for r in records if _get(r, value) is not None]
    if not records:
        raise ValueError("no records to plot (check your filter)")
    values, unit = _units(records, value)
    groups: dict[str, list[tuple[Any, float]]] = {}
    for r, v in zip(records, values):
        groups.setdefault(str(_get(r, category)), []).append((r, v))

    n_bars = len(records)
    if height is None:
        height = min(2.4 + 0.62 * n_bars + 0.5 * len(groups), 14)
    fig = _new_figure(width, height)
    ax = fig.add_subplot()
    _style_axes(ax, grid_axis="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)

    ypos, ylabels, heads = [], [], []
    y = 0.0
    vmax = max(values)
    parts = []
    for gi, (gname, items) in enumerate(groups.items()):
        colour = PALETTE[gi % len(PALETTE)]
        heads.append((y, gname))  # the group's name, in bold, on a line of its own above its bars
        y += 0.95
        items_desc = []
        for r, v in items:
            ax.barh(y, v, height=0.66, color=colour, edgecolor=_edge(colour), linewidth=0.8, zorder=3)
            ax.text(v + vmax * 0.01, y, _fmt(v), va="center", ha="left", fontsize=9.5, color="#111111", zorder=4)
            lab = str(_get(r, label))
            ypos.append(y)
            ylabels.append(_wrap(lab, 44))
            items_desc.append(f"{lab}: {_fmt(v)}")
            y += 1.0
        parts.append(f"{gname}: " + "; ".join(items_desc))
        y += 0.45
    ax.set_yticks(ypos, ylabels, fontsize=9)
    for hy, gname in heads:
        ax.text(
            0,
            hy,
            gname,
            fontsize=11.5,
            fontweight="bold",
            va="center",
            ha="left",
            transform=ax.get_yaxis_transform(),
            color="#111111",
        )
    ax.set_ylim(y - 0.5, -0.5)
    ax.set_xlim(0, vmax * 1.12)
    _thousands(ax, "x")
    xlabel_full = _with_unit(xlabel, unit)
    ax.set_xlabel(xlabel_full, fontsize=10.5)
    src = source_line(records)
    _finish(fig, title, subtitle or f"{xlabel_full}, by whose statistics", src, note, int(width * 11))
    alt = (
        f"Bar chart of {xlabel_full}, {n_bars} bars in {len(groups)} groups, ranging from "
        f"{_fmt(min(values))} to {_fmt(vmax)}. " + ". ".join(parts) + f". {src}"
    )
    return Chart(fig, alt, title, src)


# --------------------------------------------------------------------------------------------------
# timeline
# --------------------------------------------------------------------------------------------------


def _pretty(category: str) -> str:
    return category.replace("_", " and " if category == "language_education" else " ").capitalize()


def timeline(
    records: Sequence[Any],
    *,
    title: str,
    category: str = "category",
    date: str = "date",
    labels: dict[str, str] | Callable[[Any], str | None] | None = None,
    categories: Sequence[str] | None = None,
    subtitle: str | None = None,
    note: str | None = None,
    start: int | None = None,
    end: int | None = None,
    width: float = 12.0,
    height: float | None = None,
) -> Chart:
    """Dated events on one line per ``category``, with a distinct colour and marker per line.

    Events known only to the month or year (``date_precision``) are drawn hollow. ``labels`` names
    the events to write on the chart: a function ``record -> short text or None``, or a dict from an
    ISO date (``"2015-08-06"``) to a short text. Labels are placed so that they do not overlap.
    """
    title = _require_title(title)
    records = [r for r in records if _get(r, date) is not None]
    if not records:
        raise ValueError("no dated records to plot (check your filter)")
    cats = (
        list(categories)
        if categories
        else list(dict.fromkeys(_get(r, category) for r in sorted(records, key=lambda r: _get(r, date))))
    )
    unknown = {_get(r, category) for r in records} - set(cats)
    if unknown:
        raise ValueError(f"categories {sorted(unknown)} are not in the categories you gave")

    def frac_year(d: _dt.date) -> float:
        start_y = _dt.date(d.year, 1, 1)
        return d.year + (d - start_y).days / 365.25

    if height is None:
        height = 2.2 + 0.72 * len(cats)
    fig = _new_figure(width, height)
    ax = fig.add_subplot()
    _style_axes(ax, grid_axis="x")
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)

    n_cat = len(cats)
    ypos = {c: n_cat - 1 - i for i, c in enumerate(cats)}
    counts = Counter(_get(r, category) for r in records)
    for i, c in enumerate(cats):
        colour = PALETTE[i % len(PALETTE)]
        marker = MARKERS[i % len(MARKERS)]
        rows = [r for r in records if _get(r, category) == c]
        exact = [r for r in rows if getattr(r, "date_precision", "day") == "day"]
        rough = [r for r in rows if getattr(r, "date_precision", "day") != "day"]
        yy = ypos[c]
        ax.axhline(yy, color=GRID, linewidth=0.8, zorder=1)
        # exact days: filled markers; dates known only to the month or year: hollow ones, with a thicker edge
        looks = ((exact, {"color": colour, "edgecolors": _edge(colour) if _edge(colour) != colour else "white",
                          "linewidths": 0.7}),
                 (rough, {"facecolors": "white", "edgecolors": _edge(colour), "linewidths": 1.8}))
        for group, look in looks:
            if group:
                ax.scatter([frac_year(_get(r, date)) for r in group], [yy] * len(group), s=70, marker=marker,
                           zorder=3, **look)
    ax.set_yticks([ypos[c] for c in cats], [f"{_pretty(c)} ({counts[c]})" for c in cats], fontsize=10)
    years = [_get(r, date).year for r in records]
    x0 = start if start is not None else min(years)
    x1 = (end if end is not None else max(years)) + 1
    ax.set_xlim(x0 - 0.5, x1 + 0.3)
    from matplotlib.ticker import MultipleLocator

    ax.xaxis.set_major_locator(MultipleLocator(5 if x1 - x0 > 12 else 1))
    ax.xaxis.set_minor_locator(MultipleLocator(1))
    ax.set_ylim(-0.7, n_cat - 0.3)
    ax.set_xlabel("Year (date of the event)", fontsize=10.5)

    from matplotlib.lines import Line2D

    legend_handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            color="#444444",
            markeredgecolor="white",
            markersize=8,
            label="exact day known",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor="#444444",
            markeredgewidth=1.8,
            markersize=8,
            label="only the month or year known",
        ),
    ]
    ax.legend(handles=legend_handles, loc="upper right", ncols=2, frameon=False, fontsize=9, borderaxespad=0.1)
    src = source_line(records)
    _finish(fig, title, subtitle, src, note, int(width * 11))

    # labels: fix the layout first (so positions are final), then put each label where it overlaps
    # no other label and no marker, and stays inside the plot
    chosen = []
    for r in records:
        text = None
        if callable(labels):
            text = labels(r)
        elif isinstance(labels, dict):
            text = labels.get(_get(r, date).isoformat())
        if text:
            chosen.append((frac_year(_get(r, date)), ypos[_get(r, category)], text))
    if chosen:
        from matplotlib.text import Text

        fig.draw_without_rendering()  # lays the figure out and measures it; no pixels are drawn
        fig.set_layout_engine("none")
        renderer = fig.canvas.get_renderer()
        axbb = ax.get_window_extent(renderer)
        placed: list[Any] = [ax.get_legend().get_window_extent(renderer)]
        points = ax.transData.transform([(frac_year(_get(r, date)), ypos[_get(r, category)]) for r in records])
        candidates = [
            (0.15, 0.3, "left"),
            (0.15, -0.3, "left"),
            (-0.15, 0.3, "right"),
            (-0.15, -0.3, "right"),
            (0.15, 0.52, "left"),
            (-0.15, 0.52, "right"),
            (0.15, -0.52, "left"),
            (-0.15, -0.52, "right"),
        ]

        def penalty(bb: Any) -> float:
            """0 when the label fits; else how badly it overlaps labels, markers or the plot's edge."""
            cost = 0.0
            out_x = max(0.0, axbb.x0 - bb.x0) + max(0.0, bb.x1 - axbb.x1)
            out_y = max(0.0, axbb.y0 - bb.y0) + max(0.0, bb.y1 - axbb.y1)
            cost += 1000.0 * (out_x + out_y)
            for p in placed:
                w = min(bb.x1, p.x1) - max(bb.x0, p.x0)
                h = min(bb.y1, p.y1) - max(bb.y0, p.y0)
                if w > 0 and h > 0:
                    cost += 10.0 * w * h
            cost += sum(200.0 for px, py in points if bb.x0 - 4 < px < bb.x1 + 4 and bb.y0 - 4 < py < bb.y1 + 4)
            return cost

        for xv, yv, text in sorted(chosen):
            best = None
            for dx, dy, ha in candidates:
                t = ax.annotate(
                    _wrap(text, 24),
                    (xv, yv),
                    xytext=(xv + dx, yv + dy),
                    fontsize=8.3,
                    ha=ha,
                    va="center",
                    color="#111111",
                    zorder=5,
                    arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.6, "shrinkA": 1},
                )
                # the text alone (an Annotation's own extent includes its leader line)
                t.update_positions(renderer)
                bb = Text.get_window_extent(t, renderer).expanded(1.03, 1.08)
                cost = penalty(bb)
                if best is None or cost < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cost, t, bb)
                else:
                    t.remove()
                if cost == 0:
                    break
            placed.append(best[2])

    first = min(records, key=lambda r: _get(r, date))
    last = max(records, key=lambda r: _get(r, date))
    per_cat = ", ".join(f"{_pretty(c).lower()} {counts[c]}" for c in cats)
    alt = (
        f"Timeline of {len(records)} events from {_get(first, date).isoformat()} to "
        f"{_get(last, date).isoformat()}, one row per category ({per_cat}). "
        f"First event: {getattr(first, 'event', '')}. Last event: {getattr(last, 'event', '')}. {src}"
    )
    return Chart(fig, alt, title, src, key=_timeline_key(records, category, date, labels))


def _timeline_key(records: Sequence[Any], category: str, date: str, labels: Any) -> Any:
    """The key to a timeline: every marker's event, by date, with its theme and the label written on the chart."""
    from .tables import Table

    def when(r: Any) -> str:
        d, precision = _get(r, date), getattr(r, "date_precision", "day")
        return str(d.year) if precision == "year" else d.strftime("%Y-%m") if precision == "month" else d.isoformat()

    def written(r: Any) -> str:
        if callable(labels):
            return labels(r) or "-"
        return (labels.get(_get(r, date).isoformat()) if isinstance(labels, dict) else None) or "-"

    rows = tuple((when(r), _pretty(_get(r, category)), str(getattr(r, "event", "")), written(r))
                 for r in sorted(records, key=lambda r: (_get(r, date), str(_get(r, category)))))
    return Table(f"Key to the markers: all {len(rows)} events on this chart, by date",
                 ("Date", "Row (theme)", "Event", "Label on the chart"), rows)
