"""Debian's Chromium as the browser tests and scripts/production_check.py launch it (never a downloaded
browser). Without the background-networking flags it keeps calling Google's hosts, which this
machine's closed network refuses."""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
