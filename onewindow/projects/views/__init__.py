"""The key-project pages: `registry` (list, 我的项目, detail, forms, team), `roadmap` (the roadmap,
its edits and the public page), `excel` (export and import)."""
