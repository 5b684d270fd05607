"""Pure rules of the leader report (领导月报), campaigns (百日攻坚) and concentrated starts (集中开工).

No Django here (an import-linter contract keeps it so): selectors load the month's facts into the
dataclasses of `report`, these functions compose the text and the bulletin, services store them.

    amounts     万元 → "38.62亿元" / "5320万元", percentages, 序时进度, period labels
    report      a leader's month: facts in, the bulletin (sections and tables) out
    printable   what the Word and PDF files draw, and its JSON (stored with the report)
    sms         the SMS text, at most 500 characters, lists shortened to "等N个项目"
    campaigns   which projects started / completed in a window, progress against targets
"""
