"""The charts' palette (Okabe–Ito, course.charts) stays distinguishable for readers with colour-vision
deficiency: every pair of its colours, simulated for protanopia and deuteranopia (and tritanopia), is still
at least MIN_CVD apart in CIEDE2000.

Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
vision deficiency", IEEE TVCG 15(6), matrices for severity 1.0 (full dichromacy), applied to linear sRGB.
Colour difference: CIEDE2000 (CIE 142-2001), checked here against Sharma, Wu & Dalal (2005) test data.
ΔE00 ≈ 1 is a just-noticeable difference; 10 and more reads as a different colour at a glance, which is what
a legend needs. (The charts also give each series its own marker and line style, so colour is never the
only cue; this test is about the colours themselves.)
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from course import charts

MIN_CVD = 10.0  # ΔE00, every pair, under each simulated dichromacy
MIN_NORMAL = 20.0  # ΔE00, every pair, for typical colour vision

MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
SRGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
D65 = np.array([0.95047, 1.0, 1.08883])


def hex_to_rgb(colour: str) -> np.ndarray:
    h = colour.lstrip("#")
    assert len(h) == 6, colour
    return np.array([int(h[i:i + 2], 16) for i in (0, 2, 4)]) / 255.0


def to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    c = np.clip(linear, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, deficiency: str) -> np.ndarray:
    """The sRGB colour a reader with `deficiency` sees instead of `rgb` (both 0..1)."""
    return to_srgb(MACHADO[deficiency] @ to_linear(rgb))


def to_lab(rgb: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ to_linear(rgb) / D65
    d = 6 / 29
    f = np.where(xyz > d ** 3, np.cbrt(xyz), xyz / (3 * d * d) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    L1, a1, b1 = map(float, lab1)
    L2, a2, b2 = map(float, lab2)
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar ** 7 / (c_bar ** 7 + 25.0 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    d_lp, d_cp = L2 - L1, c2p - c1p
    if c1p * c2p == 0:
        d_hp = 0.0
    else:
        d_hp = h2p - h1p
        d_hp -= 360 if d_hp > 180 else 0
        d_hp += 360 if d_hp < -180 else 0
    d_big_hp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(d_hp / 2))
    l_bar, c_bar_p = (L1 + L2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_bar - 30)) + 0.24 * np.cos(np.radians(2 * h_bar))
         + 0.32 * np.cos(np.radians(3 * h_bar + 6)) - 0.20 * np.cos(np.radians(4 * h_bar - 63)))
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(c_bar_p ** 7 / (c_bar_p ** 7 + 25.0 ** 7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return float(np.sqrt((d_lp / s_l) ** 2 + (d_cp / s_c) ** 2 + (d_big_hp / s_h) ** 2
                         + r_t * (d_cp / s_c) * (d_big_hp / s_h)))


# --- the instruments first ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma, Wu & Dalal (2005), Table 1: pairs 1, 7, 17, 25, 34
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert ciede2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_black_and_a_known_colour():
    assert to_lab(np.ones(3)) == pytest.approx([100, 0, 0], abs=0.01)
    assert to_lab(np.zeros(3)) == pytest.approx([0, 0, 0], abs=0.01)
    assert to_lab(hex_to_rgb("#FF0000")) == pytest.approx([53.24, 80.09, 67.20], abs=0.05)


@pytest.mark.parametrize("deficiency", sorted(MACHADO))
def test_the_simulation_keeps_greys_and_loses_what_it_should(deficiency):
    for grey in (0.0, 0.5, 1.0):
        assert simulate(np.full(3, grey), deficiency) == pytest.approx(np.full(3, grey), abs=1e-3)
    red, green = hex_to_rgb("#FF0000"), hex_to_rgb("#00A000")
    normal = ciede2000(to_lab(red), to_lab(green))
    seen = ciede2000(to_lab(simulate(red, deficiency)), to_lab(simulate(green, deficiency)))
    if deficiency in ("protanopia", "deuteranopia"):  # red and green, far apart, come close
        assert normal > 70
        assert seen < normal / 3
    if deficiency != "tritanopia":  # a dichromat's colours lie on a plane: the matrix has rank 2
        assert abs(np.linalg.det(MACHADO[deficiency])) < 1e-5


# --- the palette -------------------------------------------------------------------------------------------------


def palette() -> dict[str, str]:
    colours = list(charts.PALETTE)
    names = {v.upper(): k for k, v in getattr(charts, "OKABE_ITO", {}).items()}
    return {names.get(c.upper(), c): c for c in colours}


def pairwise(colours: dict[str, str], deficiency: str | None) -> list[tuple[float, str, str]]:
    labs = {}
    for name, colour in colours.items():
        rgb = hex_to_rgb(colour)
        labs[name] = to_lab(simulate(rgb, deficiency) if deficiency else rgb)
    return sorted((ciede2000(labs[a], labs[b]), a, b) for a, b in itertools.combinations(labs, 2))


def test_the_palette_is_okabe_ito():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert {c.upper() for c in charts.PALETTE} <= okabe_ito
    assert len(set(charts.PALETTE)) == len(charts.PALETTE) >= 6


def test_every_pair_is_far_apart_for_typical_colour_vision():
    closest = pairwise(palette(), None)[0]
    assert closest[0] >= MIN_NORMAL, closest


@pytest.mark.parametrize("deficiency", ["deuteranopia", "protanopia", "tritanopia"])
def test_every_pair_stays_distinguishable_under_simulated_colour_blindness(deficiency):
    distances = pairwise(palette(), deficiency)
    too_close = [(round(d, 1), a, b) for d, a, b in distances if d < MIN_CVD]
    assert not too_close, f"{deficiency}: pairs closer than ΔE00 {MIN_CVD}: {too_close}"
