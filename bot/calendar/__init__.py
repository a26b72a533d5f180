"""The roadmap calendar: how a roadmap's periods written in Russian are read
(``periods``), how a roadmap table is found and read in a workbook and written back
(``roadmap``), who an action is for (``responsible``), which days are working days in
Russia (``workdays``), and what a person sees of it all in ``/calendar`` (``view``)."""
