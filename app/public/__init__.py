"""The public site shell: home page, the site's contact page, links, robots.txt, health checks,
and the pages of R-08 sections whose module is not built yet."""
