"""The fee reports (issue 16): the daily reconciliation per collecting department and account (对账), and what
each fee-reduction policy saved enterprises (减免成效). Layered like `tickets.figures`: pure maths in `domain`,
scoped reads in `selectors`, the named tables in `tables`, then the pages, the Excel export and the API."""
