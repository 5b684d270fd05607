"""Writes to the key-project registry, one use case per function, grouped by sub-domain:

- common.py:   locking, the office check every write makes, the project's audit stream
- registry.py: create and update a project, annual plans, phase changes
- team.py:     the service team (包联领导, 首席服务人, 项目秘书, 企业特派员) and the responsible unit
- roadmap.py:  the roadmap (倒排工期), actual dates, publishing, approval cases (green channel)

Who may write: the key-project office of the project's district or of a region above it
(`selectors.is_project_office_for`). There is no system actor: the import command names the office
member it imports for.
"""
