"""The complainant's side (issue 18): the public complaint form and the status page behind a secret link.

`links` keeps the status links (only a hash of each token), `filing` files a complaint from the public form
(limited per client address), `status` is what the complainant sees and does on the status page and what the
practice does with the links. Nothing here imports Flask; the edges are `api/public.py` and `web/public_views.py`.
"""
