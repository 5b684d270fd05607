"""The bulletin's two files: Word (python-docx) and PDF (WeasyPrint), drawn from one Bulletin.

chart   plan vs completed per project: inline SVG for the PDF, PNG (Pillow) for Word
word    the .docx, East-Asian fonts set explicitly (仿宋 / 黑体, Noto CJK named as fallback)
pdf     the PDF from templates/briefings/bulletin.html
"""
