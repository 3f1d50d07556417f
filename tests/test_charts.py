"""Tests of course.charts: every chart runs on the real data, in the house style, and offline."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # this test process only; notebook kernels are separate processes

import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from course import charts, data, maps  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PALETTE = {c.lower() for c in charts.PALETTE}
NEUTRAL = {"#ffffff", "#333333", charts.NO_DATA_GREY.lower(), charts.BORDER_GREY, charts.NO_DATA_BORDER}


def remittance_chart() -> charts.Chart:
    rows = [r for r in data.load("remittances") if r.measure == "personal_remittances_pct_gdp"]
    return charts.time_series(
        rows,
        title="Remittances have been worth a fifth to a third of GDP since 2008",
        ylabel="Personal remittances received",
    )


def migrant_chart() -> charts.Chart:
    return charts.time_series(
        data.load("migrants"),
        y="count",
        series="reported_by",
        title="Counted Kyrgyz migrants in Russia fell after 2021",
        ylabel="Kyrgyz citizens in or registered in Russia",
        connect=["Ministry of Foreign Affairs of Kyrgyzstan, citing Russian competent authorities"],
    )


def trade_chart() -> charts.Chart:
    rows = [r for r in data.load("trade") if r.year == 2024 and r.flow == "turnover" and r.unit == "USD billion"]
    return charts.partner_comparison(
        rows, title="China's customs count four times the trade Kyrgyz officials count", xlabel="Trade turnover in 2024"
    )


def timeline_chart() -> charts.Chart:
    return charts.timeline(
        data.load("timeline"),
        title="Security is the most frequent theme since 1991",
        labels={
            "2015-08-06": "Joins the EAEU",
            "2025-11-26": "Putin's state visit",
            "2003-10-01": "Kant air base opens",
            "2001-12-16": "US base at Manas",
        },
    )


def map_chart() -> charts.Chart:
    return maps.membership_map(title="Kyrgyzstan belongs to all four blocs")


MAKERS = {
    "remittances": (remittance_chart, "remittances"),
    "migrants": (migrant_chart, "kyrgyz citizens"),
    "trade": (trade_chart, "trade turnover"),
    "timeline": (timeline_chart, "events"),
    "map": (map_chart, "csto"),
}


@pytest.fixture(scope="module")
def made() -> dict[str, charts.Chart]:
    return {name: make() for name, (make, _) in MAKERS.items()}


def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def data_colours(fig) -> set[str]:
    """Colours of the artists that show data: lines with a label, bars, scatter points, map patches."""
    out: set[str] = set()
    for ax in fig.axes:
        for line in ax.get_lines():
            if not line.get_label().startswith("_"):
                out.add(to_hex(line.get_color()))
        for patch in ax.patches:
            out.add(to_hex(patch.get_facecolor()))
        for coll in ax.collections:
            out.update(to_hex(c) for c in coll.get_facecolors())
            out.update(to_hex(c) for c in coll.get_edgecolors())
    return {c.lower() for c in out if c.lower() != "none"}


@pytest.mark.parametrize("name", list(MAKERS))
def test_chart_returns_figure_and_alt_text_about_its_subject(made, name):
    chart = made[name]
    assert isinstance(chart, charts.Chart)
    assert chart.figure.axes
    alt = chart.alt_text
    assert len(alt) > 80
    assert MAKERS[name][1] in alt.lower()
    assert "Source:" in alt


@pytest.mark.parametrize("name", list(MAKERS))
def test_source_line_is_on_the_figure(made, name):
    on_figure = [t.get_text() for t in texts(made[name].figure)]
    assert any(t.lstrip().startswith("Source:") for t in on_figure), on_figure[-3:]
    assert made[name].source_line.startswith("Source:")


@pytest.mark.parametrize("name", list(MAKERS))
def test_title_states_the_finding_on_the_figure(made, name):
    fig = made[name].figure
    assert fig.get_suptitle().replace("\n", " ") == made[name].title


@pytest.mark.parametrize("name", list(MAKERS))
def test_colours_come_from_the_palette(made, name):
    colours = data_colours(made[name].figure)
    assert colours, "no data artists found"
    assert colours <= PALETTE | NEUTRAL, colours - PALETTE - NEUTRAL
    assert colours & PALETTE


@pytest.mark.parametrize("name", list(MAKERS))
def test_title_does_not_overlap_the_plot_or_the_legend(made, name):
    fig = made[name].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    footer = fig._supxlabel.get_window_extent(renderer)
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison and not ax.get_legend():
            continue
        box = ax.get_tightbbox(renderer)
        assert not title.overlaps(box), f"title overlaps {ax.get_title(loc='left') or ax}"
        assert not footer.overlaps(ax.get_window_extent(renderer)), "source line overlaps a plot"
        legend = ax.get_legend()
        if legend is not None:
            assert not title.overlaps(legend.get_window_extent(renderer))
            assert not footer.overlaps(legend.get_window_extent(renderer))


def test_time_series_axis_labels_carry_units(made):
    ax = made["remittances"].figure.axes[0]
    assert "percent of GDP" in ax.get_ylabel()
    assert ax.get_xlabel() == "Year"
    assert "2008" in made["remittances"].alt_text
    assert "2024" in made["remittances"].alt_text


def test_each_series_has_its_own_marker_and_line_style(made):
    ax = made["migrants"].figure.axes[0]
    lines = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    assert len(lines) == len({r.reported_by for r in data.load("migrants")})
    styles = {(ln.get_marker(), ln.get_color()) for ln in lines}
    assert len(styles) == len(lines)
    assert len({ln.get_marker() for ln in lines}) == len(lines)  # shape alone tells the series apart
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_title().get_text() == "Whose figure"


def test_series_that_disagree_are_not_joined_by_default():
    rows = [r for r in data.load("remittances") if r.measure == "personal_remittances_pct_gdp"]
    chart = charts.time_series(rows, title="x", ylabel="Remittances")
    lines = [ln for ln in chart.figure.axes[0].get_lines() if not ln.get_label().startswith("_")]
    assert len(lines) == len({r.source_id for r in rows})
    joined = [ln for ln in lines if ln.get_linestyle() not in ("None", "none", "")]
    assert len(joined) == 1
    assert len(joined[0].get_xdata()) == 15


def test_bars_are_labelled_with_whose_figure_and_value(made):
    ax = made["trade"].figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("Customs of China" in lab for lab in labels)
    assert any("Torobaev" in lab for lab in labels)
    values = {t.get_text() for t in ax.texts}
    assert {"22.7", "5.3", "3.2", "4.1"} <= values
    assert "USD billion" in ax.get_xlabel()


def test_timeline_labels_do_not_overlap(made):
    fig = made["timeline"].figure
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = []
    for t in ax.texts:
        t.update_positions(renderer)
        boxes.append(Text.get_window_extent(t, renderer))
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_map_explains_suspended_and_left_states(made):
    chart = made["map"]
    alt = chart.alt_text
    assert "CSTO: members Belarus, Kazakhstan, Kyrgyzstan, Russia, Tajikistan" in alt
    assert "Armenia (froze participation 2024)" in alt
    assert "Uzbekistan (suspended 2012)" in alt
    assert "Georgia (left 2009)" in alt
    legend_texts = [t.get_text() for ax in chart.figure.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert "Membership suspended or participation frozen" in legend_texts
    assert "Left, did not renew, or never completed membership" in legend_texts
    assert "Natural Earth" in chart.source_line


@pytest.mark.parametrize("organisations", [("CIS", "CSTO", "EAEU", "SCO"), ("CSTO", "SCO")])
def test_maps_fill_their_columns_and_their_codes_do_not_overlap(organisations):
    """Each small map as wide as its column (not squeezed to a quarter of the picture by the footnotes under it),
    and no two country codes on one map covering each other (as AZE and TKM once did)."""
    chart = maps.membership_map(title="Maps", organisations=organisations)
    fig = chart.figure
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes[: len(organisations)]:
        assert ax.get_position().width > 0.45  # of the figure's width; two columns
        boxes = [t.get_window_extent(renderer) for t in ax.texts if len(t.get_text()) == 3]
        assert len(boxes) >= 5
        crossing = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
        assert crossing == []


def test_map_runs_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the map tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    chart = maps.membership_map(title="Offline map", as_of="2013-01-01")
    assert "Uzbekistan (suspended 2012)" in chart.alt_text
    assert chart.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_boundary_file_ships_with_its_licence():
    geo = REPO / "data" / maps.BOUNDARIES_FILE
    assert geo.is_file()
    assert geo.stat().st_size < 200_000
    readme = (geo.parent / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme
    assert "public domain" in readme


@pytest.mark.parametrize(
    "maker",
    [
        lambda t: charts.time_series(data.load("migrants"), y="count", title=t, ylabel="Migrants"),
        lambda t: charts.partner_comparison(data.load("trade")[:2], title=t, xlabel="Trade"),
        lambda t: charts.timeline(data.load("timeline"), title=t),
        lambda t: maps.membership_map(title=t),
    ],
)
@pytest.mark.parametrize("title", ["", "   ", None])
def test_a_title_is_required(maker, title):
    with pytest.raises(ValueError, match="title"):
        maker(title)


def test_units_that_cannot_share_an_axis_are_refused():
    rows = [r for r in data.load("trade") if r.year == 2024 and r.partner == "Russia"]
    assert {r.unit for r in rows} == {"USD billion", "percent of Kyrgyz total foreign trade"}
    with pytest.raises(ValueError, match="mix units"):
        charts.partner_comparison(rows, title="x", xlabel="Trade")


def test_units_of_one_kind_are_put_on_one_scale():
    rows = [r for r in data.load("remittances") if r.measure == "money_transfers_inflow_usd"]
    assert {r.unit for r in rows} == {"USD", "USD billion"}
    chart = charts.time_series(rows, title="Transfers", ylabel="Money transfers received")
    ys = [y for ln in chart.figure.axes[0].get_lines() for y in ln.get_ydata()]
    assert sorted(ys) == pytest.approx([2.37716, 2.4, 2.40685])  # all in USD billion, the most common unit


def test_chart_repr_is_deterministic_text(made):
    chart = made["remittances"]
    text = repr(chart)
    assert text.startswith("Chart: ")
    assert chart.alt_text in text
    assert "0x" not in text
    assert text == repr(chart)


def test_chart_is_shown_once_as_an_image_carrying_its_alt_text(made):
    """One picture per chart in the notebook (no image/png beside the HTML), and its <img> carries the alt text
    (escaped), which is how a screen reader in JupyterLab gets it."""
    import base64
    import html as _html

    chart = made["remittances"]
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert f'alt="{_html.escape(chart.alt_text, quote=True)}"' in bundle["text/html"]
    png = base64.b64encode(chart.png()).decode("ascii")
    assert bundle["text/html"].startswith(f'<img src="data:image/png;base64,{png}"')
    assert bundle["text/html"].count("data:image/png") == 1


def test_chart_png_is_a_small_palette_image_with_the_same_bytes_each_time(made):
    import io

    from PIL import Image

    chart = made["remittances"]
    png = chart.png()
    assert png == remittance_chart().png()  # no timestamp in the file: a chart made again gives the same bytes
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "P"  # 256 colours
        assert image.size == (round(chart.figure.get_figwidth() * 110), round(chart.figure.get_figheight() * 110))


def test_the_256_colour_picture_is_faithful_to_the_full_colour_one(made):
    import io

    import numpy as np
    from PIL import Image

    chart = made["map"]  # the most colours: hatching, five fills, small labels
    full = io.BytesIO()
    chart.figure.savefig(full, format="png", dpi=charts.PNG_DPI, facecolor="white")
    with Image.open(full) as a, Image.open(io.BytesIO(chart.png())) as b:
        off = np.abs(np.asarray(a.convert("RGB"), dtype=int) - np.asarray(b.convert("RGB"), dtype=int)).max(axis=2)
    assert off.mean() < 2  # levels of 255: invisible
    assert np.percentile(off, 99.9) < 24  # only a few anti-aliased edge pixels are further off


def test_a_chart_is_drawn_again_only_when_its_figure_changes():
    chart = remittance_chart()
    first = chart.png()
    assert chart.png() is first  # shown again (a second display, an export): the same picture, not drawn again
    chart.figure.axes[0].set_title("A reader's own subtitle", loc="left")
    changed = chart.png()
    assert changed != first


def test_a_shown_chart_keeps_no_drawing_surface():
    """A notebook keeps every chart it showed (Out[...]): each must not keep its pixels (about 6 MB for a map)."""
    import gc

    from matplotlib.backends.backend_agg import RendererAgg

    def surfaces() -> int:
        gc.collect()
        return sum(isinstance(o, RendererAgg) for o in gc.get_objects())

    before = surfaces()
    shown = [maker() for maker in (map_chart, migrant_chart, timeline_chart)]
    for chart in shown:
        chart._repr_mimebundle_()
    assert surfaces() == before


def test_freed_memory_is_given_back_where_the_c_library_can_and_nothing_breaks_where_it_cannot(monkeypatch):
    import ctypes

    monkeypatch.setattr(charts, "_TRIM", None)
    charts._give_back()
    assert charts._TRIM is False or callable(charts._TRIM)

    def no_library(name):
        raise OSError("no C library here")

    monkeypatch.setattr(charts, "_TRIM", None)
    monkeypatch.setattr(ctypes, "CDLL", no_library)
    charts._give_back()
    assert charts._TRIM is False
    assert remittance_chart().png()[:4] == b"\x89PNG"


def test_figures_are_not_registered_with_pyplot(made):
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # so a notebook shows each chart once, through the Chart


def test_save_writes_a_png(made, tmp_path):
    out = made["trade"].save(tmp_path / "trade.png")
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_importing_charts_does_not_import_matplotlib():
    code = (
        "import sys, course; before = set(sys.modules); import course.charts; "
        "bad = sorted(m for m in set(sys.modules) - before if m.split('.')[0] in ('matplotlib', 'numpy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
