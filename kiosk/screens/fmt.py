"""Formatting dates and numbers for residents, in the current language."""

from __future__ import annotations

import datetime as dt

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def date(d: dt.date, zh: bool) -> str:
    if zh:
        return f"{d.year}年{d.month}月{d.day}日"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def datetime(t: dt.datetime, zh: bool) -> str:
    return f"{date(t.date(), zh)} {t:%H:%M}"


def days(n: int, zh: bool) -> str:
    if zh:
        return f"{n}天"
    return f"{n} day" if n == 1 else f"{n} days"


def phone_spaced(phone: str) -> str:
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}".strip()
