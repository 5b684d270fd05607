"""The demo city's staff (one or more for every role) and its applicants. All names are fictitious.

Resident ID numbers use real region prefixes (python-stdnum refuses the fictitious 9901 as a
birth place); their check digits are computed when loaded, as are the credit codes'.
"""

from __future__ import annotations

from onewindow.demo.data.schema import EnterpriseSpec, PersonSpec, StaffSpec

DEFAULT_DEMO_PASSWORD = "onewindow-demo"  # noqa: S105 - a published demo password, overridable by DEMO_PASSWORD

# The security admin comes first: every other role is granted by them (三权分立).
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("secadmin", "韩静怡", "security_admin", "9901", "13900010001"),
    StaffSpec("sysadmin", "钱志远", "system_admin", "9901", "13900010002"),
    StaffSpec("auditadmin", "孙海宁", "audit_admin", "9901", "13900010003"),
    # 综合窗口 of the city hall: takes applications for every city department.
    StaffSpec("clerk", "李雨桐", "clerk", "9901", "13900010011"),
    StaffSpec("clerk_2", "林书瑶", "clerk", "9901", "13900010014"),
    StaffSpec("clerk_3", "高宇航", "clerk", "9901", "13900010015"),
    StaffSpec("clerk_scjg", "赵一鸣", "clerk", "9901-SCJG", "13900010012"),
    StaffSpec("clerk_qh", "周晓琳", "clerk", "990102", "13900010013"),
    StaffSpec("clerk_ml", "唐嘉禾", "clerk", "990121", "13900010016"),
    StaffSpec("reviewer_zj", "王建国", "reviewer", "9901-ZJ", "13900010021"),
    StaffSpec("reviewer_zrzy", "刘思远", "reviewer", "9901-ZRZY", "13900010022"),
    StaffSpec("reviewer_fg", "陈立新", "reviewer", "9901-FG", "13900010023"),
    StaffSpec("reviewer_sthj", "杨青松", "reviewer", "9901-STHJ", "13900010024"),
    StaffSpec("reviewer_sw", "黄河清", "reviewer", "9901-SW", "13900010025"),
    StaffSpec("reviewer_rf", "吴振华", "reviewer", "9901-RF", "13900010026"),
    StaffSpec("reviewer_cg", "徐文博", "reviewer", "9901-CG", "13900010027"),
    StaffSpec("reviewer_xf", "马骁", "reviewer", "9901-XF", "13900010028"),
    StaffSpec("reviewer_scjg", "朱丽华", "reviewer", "9901-SCJG", "13900010029"),
    StaffSpec("reviewer_ga", "胡国栋", "reviewer", "9901-GA", "13900010030"),
    StaffSpec("reviewer_swj", "郭敏", "reviewer", "9901-SWJ", "13900010031"),
    StaffSpec("reviewer_rs", "何佳", "reviewer", "9901-RS", "13900010032"),
    StaffSpec("reviewer_jrj", "罗晨", "reviewer", "9901-JRJ", "13900010033"),
    StaffSpec("reviewer_qh_scjg", "梁晓峰", "reviewer", "990102-SCJG", "13900010034"),
    # the city's other departments: a reviewer each, for the matters they review
    StaffSpec("reviewer_jt", "程浩然", "reviewer", "9901-JT", "13900010101"),
    StaffSpec("reviewer_ny", "彭禾田", "reviewer", "9901-NY", "13900010102"),
    StaffSpec("reviewer_wgl", "苏文旅", "reviewer", "9901-WGL", "13900010103"),
    StaffSpec("reviewer_wj", "钟济民", "reviewer", "9901-WJ", "13900010104"),
    StaffSpec("reviewer_bdc", "蒋安居", "reviewer", "9901-BDC", "13900010105"),
    StaffSpec("reviewer_mz", "范慧敏", "reviewer", "9901-MZ", "13900010106"),
    StaffSpec("reviewer_yj", "石安邦", "reviewer", "9901-YJ", "13900010107"),
    StaffSpec("reviewer_gjj", "金永安", "reviewer", "9901-GJJ", "13900010108"),
    StaffSpec("reviewer_jy", "杜书涵", "reviewer", "9901-JY", "13900010109"),
    StaffSpec("reviewer_ly", "林森", "reviewer", "9901-LY", "13900010110"),
    StaffSpec("reviewer_qx", "夏雨晴", "reviewer", "9901-QX", "13900010111"),
    StaffSpec("reviewer_shw", "贺通商", "reviewer", "9901-SHW", "13900010112"),
    StaffSpec("reviewer_ww", "古文清", "reviewer", "9901-WW", "13900010113"),
    StaffSpec("reviewer_yb", "邵康宁", "reviewer", "9901-YB", "13900010114"),
    StaffSpec("reviewer_yc", "姜守信", "reviewer", "9901-YC", "13900010115"),
    # 一单收费: 工信局 checks and seals its 散装水泥专项基金; 财政局 reads what the policies saved
    StaffSpec("reviewer_gxj", "沈可欣", "reviewer", "9901-GXJ", "13900010035"),
    StaffSpec("finance_cz", "叶文涛", "reviewer", "9901-CZ", "13900010036"),
    StaffSpec("head_zj", "宋志刚", "department_head", "9901-ZJ", "13900010041"),
    StaffSpec("head_scjg", "唐慧", "department_head", "9901-SCJG", "13900010042"),
    StaffSpec("lead_zj", "许明哲", "lead_coordinator", "9901-ZJ", "13900010051"),
    StaffSpec("lead_scjg", "邓佳怡", "lead_coordinator", "9901-SCJG", "13900010052"),
    StaffSpec("agent", "冯帮办", "agent", "9901", "13900010061"),
    StaffSpec("supervisor", "曹正", "supervisor", "9901", "13900010071"),
    StaffSpec("supervisor_qh", "彭清", "supervisor", "990102", "13900010072"),
    StaffSpec("project_office", "董项成", "project_office", "9901", "13900010081"),
    StaffSpec("leader", "袁市长", "leader", "9901", "13900010091"),
)

PERSONS: tuple[PersonSpec, ...] = (
    PersonSpec("linxiaowen", "林晓雯", "11010519880312023", "13800000001"),
    PersonSpec("chenzihang", "陈子航", "31010419920718045", "13800000002"),
    PersonSpec("zhouruotong", "周若彤", "44030519950226068", "13800000003"),
    PersonSpec("wujiacheng", "吴嘉诚", "42010619850905031", "13800000004"),
    PersonSpec("xumuyang", "许沐阳", "33010620010114127", "13800000005"),
)

ENTERPRISES: tuple[EnterpriseSpec, ...] = (
    EnterpriseSpec("云川晓雯科技有限公司", "91990102MA1YC0012", "linxiaowen", "13800000011"),
    EnterpriseSpec("云川市子航建筑工程有限公司", "91990103MA1YC0025", "chenzihang", "13800000012"),
    EnterpriseSpec("云川若彤餐饮管理有限公司", "91990104MA1YC0038", "zhouruotong", "13800000013"),
    EnterpriseSpec("云川嘉诚新材料股份有限公司", "91990121MA1YC0041", "wujiacheng", "13800000014"),
    EnterpriseSpec("云川沐阳文化传媒有限公司", "91990105MA1YC0054", "xumuyang", "13800000015"),
)
