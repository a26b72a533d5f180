"""The indicators schools report: the catalog (what, by when, in what form), reading and
checking answers as people type them (``answers``), the form a principal fills in
(``form``: campaigns, their states, the questions in order, the save-and-conflict rule)
and the Excel workbook coordinators export and import (``workbook``)."""
