"""Maps: which countries belong to which organisation (CIS, CSTO, EAEU, SCO) on a given day.

The map is drawn with matplotlib alone, in an Albers equal-area projection of Eurasia computed here (no map
library to install), from Natural Earth's public-domain country boundaries in ``data/geo/``. It returns a
:class:`course.charts.Chart` in the module's house style (title, source line, alt text for screen readers).

    from course import maps
    maps.membership_map(title="...", as_of="2025-11-27")
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import charts
from . import data as _data
from .paths import REPO, data_dir

__all__ = ["BOUNDARIES_CREDIT", "BOUNDARIES_FILE", "MEMBERSHIP_SHORT", "membership_map"]

BOUNDARIES_FILE = "geo/countries_110m_region.geojson"
BOUNDARIES_CREDIT = (
    "Boundaries: Natural Earth 1:110m (public domain), via geopandas 0.14.4; de facto lines, "
    "no position taken on disputed borders."
)


_ORG_NAMES = {
    "CIS": "CIS: Commonwealth of Independent States",
    "CSTO": "CSTO: Collective Security Treaty Organization",
    "EAEU": "EAEU: Eurasian Economic Union",
    "SCO": "SCO: Shanghai Cooperation Organisation",
}
_CATEGORY_STYLE = {
    # category: (face colour, hatch)
    "member": (charts.OKABE_ITO["blue"], ""),
    "observer": (charts.OKABE_ITO["sky_blue"], "..."),
    "suspended": (charts.OKABE_ITO["orange"], "///"),
    "former": (charts.OKABE_ITO["vermillion"], "xxx"),
    "signed": (charts.OKABE_ITO["bluish_green"], "\\\\\\"),
}
# Natural Earth's short names that differ from the names in memberships.csv
_NE_NAMES = {"Turkey": "Türkiye"}
# Where to write a country's code when its centroid is a poor spot (lon, lat)
_LABEL_AT = {
    "Russia": (62.0, 57.5),
    "China": (88.0, 38.0),
    "India": (77.0, 29.0),
    "Kazakhstan": (67.5, 48.5),
    "Mongolia": (98.0, 47.0),
    "Iran": (55.0, 32.5),
    "Ukraine": (31.5, 49.0),
    "Belarus": (28.0, 53.5),
    "Moldova": (28.6, 47.2),
    "Armenia": (44.9, 40.2),
    "Georgia": (43.6, 42.2),
    "Azerbaijan": (48.0, 40.4),
    "Kyrgyzstan": (74.8, 41.5),
    "Tajikistan": (70.9, 38.7),
    "Uzbekistan": (63.5, 41.6),
    "Turkmenistan": (59.0, 39.2),
    "Afghanistan": (66.0, 33.8),
    "Pakistan": (69.5, 29.0),
}
# Small states whose code is written beside them, with a leader line, at (lon, lat)
_LABEL_OFFSET = {
    "Georgia": (38.6, 44.6),
    "Armenia": (41.2, 37.4),
    "Azerbaijan": (50.0, 36.2),  # below the Caspian: further east it would cover the code of Turkmenistan
    "Moldova": (25.0, 45.3),
}
_VIEW = {"lon": (21.0, 104.0), "lat": (27.0, 58.0)}
# How a country's code is written on a map, and the line from a small state to its code
_CODE_STYLE = {"fontsize": 9, "ha": "center", "va": "center", "zorder": 5, "fontweight": "bold", "color": "#111111",
               "bbox": {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9}}
_LEADER_LINE = {"arrowstyle": "-", "color": "#333333", "lw": 0.7, "shrinkA": 0, "shrinkB": 0}


def _albers(lon: Any, lat: Any, lon0: float = 66.0, lat0: float = 45.0, lat1: float = 35.0, lat2: float = 58.0):
    """Albers equal-area conic projection on a unit sphere (numpy arrays in degrees)."""
    import numpy as np

    phi, lam = np.radians(lat), np.radians(lon)
    p0, p1, p2, l0 = map(math.radians, (lat0, lat1, lat2, lon0))
    n = (math.sin(p1) + math.sin(p2)) / 2
    c = math.cos(p1) ** 2 + 2 * n * math.sin(p1)
    rho0 = math.sqrt(c - 2 * n * math.sin(p0)) / n
    rho = np.sqrt(c - 2 * n * np.sin(phi)) / n
    theta = n * (lam - l0)
    return rho * np.sin(theta), rho0 - rho * np.cos(theta)


def _boundaries_path() -> Path:
    path = data_dir() / BOUNDARIES_FILE
    if not path.exists():
        path = REPO / "data" / BOUNDARIES_FILE
    return path


def _load_boundaries() -> tuple[dict[str, list], dict[str, str]]:
    """Each state's polygons (lon, lat) and its three-letter code, from the boundary file."""
    path = _boundaries_path()
    try:
        gj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _data.DataError(f"{path}: boundary file not found (needed for the map)") from None
    out: dict[str, list] = {}
    codes: dict[str, str] = {}
    for feat in gj["features"]:
        name = feat["properties"]["name"]
        geom = feat["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[name] = polys
        codes[name] = feat["properties"].get("iso_a3") or name[:3].upper()
    return out, codes


def membership_map(
    *,
    title: str,
    as_of: _dt.date | str | None = None,
    organisations: Sequence[str] = ("CIS", "CSTO", "EAEU", "SCO"),
    records: Sequence[Any] | None = None,
    highlight: str = "Kyrgyzstan",
    note: str | None = None,
    width: float = 13.0,
    height: float | None = None,
) -> charts.Chart:
    """Small maps of the region, one per organisation, colouring each state by its standing on ``as_of``.

    Standing comes from ``data/memberships.csv`` through :func:`course.data.membership_status`
    (default day: 27 November 2025): member; observer, associate member or dialogue partner;
    membership suspended or participation frozen (e.g. Armenia in the CSTO since 2024, Uzbekistan
    suspended in 2012); left or never completed membership (e.g. Georgia left the CIS in 2009). Each
    category has a colour *and* a hatching, and states with a standing carry their three-letter code.
    Drawn offline from the boundary file in ``data/geo/`` (Natural Earth, public domain): no network.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    title = charts._require_title(title)
    if as_of is None:
        as_of = _dt.date(2025, 11, 27)
    elif isinstance(as_of, str):
        as_of = _dt.date.fromisoformat(as_of)
    rows = list(records) if records is not None else _data.load("memberships")
    status = _data.membership_status(as_of, rows)
    shapes, iso = _load_boundaries()

    # projected view box
    lons = np.linspace(*_VIEW["lon"], 40)
    lats = np.linspace(*_VIEW["lat"], 40)
    edge_lon = np.concatenate([lons, np.full(40, _VIEW["lon"][1]), lons, np.full(40, _VIEW["lon"][0])])
    edge_lat = np.concatenate([np.full(40, _VIEW["lat"][0]), lats, np.full(40, _VIEW["lat"][1]), lats])
    ex, ey = _albers(edge_lon, edge_lat)
    xlim, ylim = (ex.min(), ex.max()), (ey.min(), ey.max())

    orgs = list(organisations)
    ncols = 2 if len(orgs) > 1 else 1
    nrows = math.ceil(len(orgs) / ncols)
    aspect = (ylim[1] - ylim[0]) / (xlim[1] - xlim[0])
    if height is None:
        # each row: a map as wide as its column, its heading and its footnote (up to five lines); then the legend
        # and the source line. Less height and the maps, whose shape is fixed, shrink to a quarter of the figure.
        height = nrows * ((width / ncols) * aspect + 1.45) + 2.9
    fig = charts._new_figure(width, height)
    fig.get_layout_engine().set(h_pad=0.15)  # room between the title, each map's heading and its footnote
    # one row per line of maps, and a last, short row that holds the legend
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[1.0] * nrows + [0.13])
    axes = [fig.add_subplot(grid[i // ncols, i % ncols]) for i in range(len(orgs))]
    legend_ax = fig.add_subplot(grid[nrows, :])
    legend_ax.axis("off")

    projected = {}
    for name, polys in shapes.items():
        rings = []
        for poly in polys:
            for k, ring in enumerate(poly):
                arr = np.asarray(ring, dtype=float)
                px, py = _albers(arr[:, 0], arr[:, 1])
                rings.append((k == 0, np.column_stack([px, py])))
        projected[name] = rings

    def label_point(name: str) -> tuple[float, float]:
        if name in _LABEL_AT:
            lon, lat = _LABEL_AT[name]
        else:
            poly = max(shapes[name], key=lambda p: len(p[0]))
            arr = np.asarray(poly[0])
            lon, lat = arr[:, 0].mean(), arr[:, 1].mean()
        px, py = _albers(np.array([lon]), np.array([lat]))
        return float(px[0]), float(py[0])

    alt_parts = []
    codes_shown: dict[str, str] = {}
    used_categories: set[str] = set()
    off_map_all = []
    for ax, org in zip(axes, orgs):
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        for side in ax.spines.values():
            side.set_color("#999999")
        ax.set_facecolor("#e8f1f8")
        by_state = {state: st for (o, state), st in status.items() if o == org}
        # one collection per look (colour, hatching, edge): drawn at once, and the axes' limits are set above,
        # so matplotlib need not measure each of the hundreds of shapes
        looks: dict[tuple[str, str, str], list] = {}
        for name, rings in projected.items():
            state = _NE_NAMES.get(name, name)
            st = by_state.get(state)
            face, hatch = (charts.NO_DATA_GREY, "") if st is None else _CATEGORY_STYLE[st.category]
            edge = charts.BORDER_GREY if st else charts.NO_DATA_BORDER
            looks.setdefault((face, hatch, edge), []).extend(xy for _outer, xy in rings)
            if st is not None:
                used_categories.add(st.category)
        for (face, hatch, edge), shapes_xy in looks.items():
            ax.add_collection(PolyCollection(shapes_xy, closed=True, facecolors=face, edgecolors=edge,
                                             linewidths=0.5, hatch=hatch or None, zorder=2), autolim=False)
        # outline the highlighted state on top
        if highlight in projected:
            ax.add_collection(PolyCollection([xy for _outer, xy in projected[highlight]], closed=True,
                                             facecolors="none", edgecolors="black", linewidths=2.2, zorder=4),
                              autolim=False)
        # codes on states with a standing
        for state in sorted(by_state):
            if state in projected:
                px, py = label_point(state)
                if not (xlim[0] < px < xlim[1] and ylim[0] < py < ylim[1]):
                    continue
                code = iso.get(state, state[:3].upper())
                codes_shown[code] = state
                if state in _LABEL_OFFSET:  # a small state: its code beside it, with a leader line
                    ox, oy = _albers(np.array([_LABEL_OFFSET[state][0]]), np.array([_LABEL_OFFSET[state][1]]))
                    ax.annotate(code, (px, py), xytext=(float(ox[0]), float(oy[0])), **_CODE_STYLE,
                                arrowprops=_LEADER_LINE)
                else:
                    ax.text(px, py, code, **_CODE_STYLE)
        # footnote: everything that is not plain membership, from the data
        notes = []
        for cat in ("suspended", "former", "observer", "signed"):
            names = sorted(s for s, st in by_state.items() if st.category == cat)
            if names:
                items = []
                for s in names:
                    ev = by_state[s].event
                    when = f" {ev.date.year}" if ev.date else ""
                    items.append(f"{s} ({ev.status.replace('_', ' ')}{when})")
                notes.append(f"{MEMBERSHIP_SHORT[cat]}: " + ", ".join(items))
        off_map = sorted(s for s in by_state if s not in projected)
        if off_map:
            off_map_all.extend(off_map)
        members = sorted(s for s, st in by_state.items() if st.category == "member")
        ax.set_title(_ORG_NAMES.get(org, org), loc="left", fontsize=11, fontweight="bold")
        small_print = charts.footnote_size(fig)  # at least 8 pt on screen, like the source line
        ax.text(
            0.0,
            -0.02,
            charts._wrap("; ".join(notes) if notes else "All states with a record are members.",
                         int((width / ncols - 0.6) * 72 / (small_print * 0.6))),
            transform=ax.transAxes,
            fontsize=small_print,
            va="top",
            ha="left",
            color=charts.TEXT_GREY,
        )
        alt_parts.append(
            f"{org}: members {', '.join(members) if members else 'none'}" + (f"; {'; '.join(notes)}" if notes else "")
        )

    handles = [
        Patch(
            facecolor=_CATEGORY_STYLE[c][0],
            hatch=_CATEGORY_STYLE[c][1],
            edgecolor="#555555",
            label=_data.MEMBERSHIP_CATEGORIES[c],
        )
        for c in ("member", "observer", "suspended", "former", "signed")
        if c in used_categories
    ]
    handles.append(Patch(facecolor=charts.NO_DATA_GREY, edgecolor="#aaaaaa", label="Not a member (no record)"))
    handles.append(Line2D([], [], color="black", linewidth=2.2, label=f"{highlight} (outlined)"))
    legend_ax.legend(
        handles=handles,
        loc="center",
        ncols=3,
        frameon=False,
        fontsize=9.5,
        handlelength=2.6,
        handleheight=1.4,
        columnspacing=1.6,
    )
    src = charts.source_line(rows)
    src = f"{src[:-1]}; standing on {as_of.isoformat()}. {BOUNDARIES_CREDIT}"
    codes = "Country codes on the maps: " + ", ".join(f"{c} {n}" for c, n in sorted(codes_shown.items())) + "."
    charts._finish(fig, title, None, src, note, int(width * 11), after=codes)
    # the spacing under each map holds its footnote
    fig.get_layout_engine().set(hspace=0.16)
    alt = (
        f"{len(orgs)} maps of Eastern Europe, the Caucasus, Central Asia, Russia and western China showing "
        f"which states belong to the {', '.join(orgs)} on {as_of.isoformat()}. "
        + ". ".join(alt_parts)
        + (f". Not on the map: {', '.join(sorted(set(off_map_all)))}" if off_map_all else "")
        + f". {src}"
    )
    return charts.Chart(fig, alt, title, src)


#: Short names of the membership categories, for the footnotes under each map.
MEMBERSHIP_SHORT = {
    "member": "Members",
    "observer": "Observer/associate/partner",
    "suspended": "Suspended or frozen",
    "former": "Left or not completed",
    "signed": "Accession signed",
}
