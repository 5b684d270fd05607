"""The case pages, one module per part of the work (URLs in `cases/urls.py`):

| module       | pages                                                                           |
|--------------|---------------------------------------------------------------------------------|
| `pages`      | read-only: 我的办件, a case's page, the intake notice, the queue, 待办/已办, the board |
| `intake`     | the window's intake decisions; a material's file                                |
| `window`     | 窗口代为申报: a clerk submits for an applicant                                  |
| `review`     | a department's task and its actions, the joint decision, the case's extension   |
| `portal`     | the applicant portal: apply, drafts, receipt, correction, supplement, withdraw  |
| `commitment` | rectification after 告知承诺, credit records                                   |
| `deferral`   | handing in a material deferred at 容缺受理                                      |
| `common`     | the sub-navigation, paging, the role check, a console action's form failure     |
"""
