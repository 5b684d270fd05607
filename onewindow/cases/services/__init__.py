"""Writes to cases, one use case per function, grouped by sub-domain:

- locking.py:     the case lock (hand-written SQL: why, at its top) and the `LockedCase` it returns
- transitions.py: the one service every status change goes through, and each step's record (timeline + audit)
- intake/:        submit, one-time correction notice, accept, refuse, 容缺, deemed acceptance, 告知承诺, withdraw
- review/:        claim, assign, transfer, approve, reject, supplements, special procedures,
                  extensions, 会签, the stage join and the joint decision
- stages.py:      opening a stage (the fan-out), shared by intake and review
"""
