"""How the fuzz tests write numbers the way exports do and damage files.

Shared by the register and the LTB workbook fuzz tests.
"""

from __future__ import annotations

import random


def number_text(value: float, decimal: str, grouped: bool) -> str:
    """Write a number as an export would: a decimal mark, maybe thousands grouped by spaces."""
    if value != value:
        return ""
    text = str(int(value)) if float(value).is_integer() else repr(float(value))
    whole, _, frac = text.partition(".")
    if grouped and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", "\u00a0")
    return whole + (decimal + frac if frac else "")


def corrupt(data: bytes, how: str, rnd: random.Random) -> bytes:
    """Damage file bytes in one of several ways."""
    at = rnd.randrange(len(data) + 1)
    if how == "truncate":
        return data[:at]
    if how == "nul":
        return data[:at] + b"\x00" * rnd.randint(1, 3) + data[at:]
    if how == "bom":
        return data[:at] + "\ufeff".encode() + data[at:]
    if how == "flip":
        if not data:
            return data
        i = min(at, len(data) - 1)
        return data[:i] + bytes([data[i] ^ (1 << rnd.randrange(8))]) + data[i + 1 :]
    if how == "long":
        return data[:at] + b"x" * 1_000_000 + data[at:]
    if how == "quote":
        return data[:at] + b'"' + data[at:]
    if how == "dup_line":
        lines = data.split(b"\n")
        i = rnd.randrange(len(lines))
        return b"\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if how == "header_only":
        return data.split(b"\n", 1)[0] + b"\n"
    raise ValueError(how)


HOWS = ("truncate", "nul", "bom", "flip", "long", "quote", "dup_line", "header_only")
