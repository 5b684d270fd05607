"""The leaders' analysis (issue 17): demand (把握公众需求) and how the service runs (规范运行管理), read on the
operational database; pages, Excel export and API. Layered: `domain` (pure maths) ← `selectors` (scoped reads)
← `tables` ← `views` / `api`."""
