"""The fees pages, by sub-domain (see urls.py): catalogue.py (items, policies, the estimate), bills.py (fee
checks, the payment notice and its PDF, the payer's bills)."""
