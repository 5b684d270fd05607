"""Reform results (issue 17, 服务经济发展): before and after a dated reform, on the same matters and bundles."""
