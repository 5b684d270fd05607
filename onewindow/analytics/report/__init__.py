"""The monthly analysis report (issue 17): 服务经济发展 figures and the report a centre director sends."""
