"""Writes to cases, one use case per function, grouped by sub-domain:

- transitions.py: the one locking service every status change goes through (timeline + audit)
- intake.py:      submit, one-time correction notice, accept, refuse, 容缺, deemed acceptance, withdraw
- review.py:      claim, assign, transfer, approve, reject, supplements, special procedures,
                  extensions, 会签, the stage join and the joint decision
"""
