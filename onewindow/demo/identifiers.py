"""The demo's ID numbers: the stems in `data/` completed with their check digits."""

from __future__ import annotations

from stdnum.cn import ric, uscc


def resident_id(stem: str) -> str:
    """The 18-character resident ID number: the 17-digit stem and its GB 11643 check digit."""
    return stem + ric.calc_check_digit(stem + "0")  # stdnum expects a placeholder check digit


def credit_code(stem: str) -> str:
    """The unified social credit code: the 17-character stem and its GB 32100 check digit."""
    return stem + uscc.calc_check_digit(stem)
