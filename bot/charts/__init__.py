"""Quick charts as PNG pictures for a phone: a school's indicator over the years against the
medians, schools side by side on one indicator, a campaign's submissions by day, consultations
per school against a target, and event attendance per municipality. Plain Python and
matplotlib (the Agg canvas, never pyplot, so it can run in a worker thread or process): the
caller passes frozen data with every label already translated and the locale for numbers,
and gets back PNG bytes (``render``) or the figure (``draw``); :class:`NoData` means there
is nothing to draw, and the caller says so in a sentence instead.

The package itself imports nothing: the bot reads ``data``, ``build`` and ``order`` without
loading matplotlib, which only the worker process that draws needs.
"""
