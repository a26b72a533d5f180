"""The execution of roadmap actions: asked, confirmed with evidence, counted, reported.

When an action's period ends (and at the reporting points a coordinator sets on a long
action) the people responsible for it are asked «Выполнено» / «Перенести» / «Не
выполнено» (``scheduler/confirmations.py``); each party confirms its own part
(:mod:`.parts`): each school, each municipality, or the action as a whole. A button names
a part by ids, checked again on every press (:mod:`.target`). What is asked for as
evidence comes from the roadmap's «Результат» column (:mod:`.evidence`; the files are sent
again only to whom may see them, :mod:`.files`); a new period is read like the roadmap's
own (:mod:`.new_period`). Answers are kept with their history (``storage/execution.py``);
marks (:mod:`.status`) are computed from them and the dates (:mod:`.ledger`), counted per
roadmap (:mod:`.progress`), worded (:mod:`.texts`), shown (:mod:`.screens`, and in
/calendar :mod:`.calendar_marks`) and exported (:mod:`.report`, :mod:`.workbook`,
:mod:`.export`). :mod:`.demo` answers the demo region's roadmap.
"""
