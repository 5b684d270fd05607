"""The briefings pages: monthly leader reports, campaigns, concentrated starts (thin: parse, call, render)."""
