"""Answers to indicators: reading what people type, showing it back, checking across answers.

Principals answer in a chat, and they type answers the way people do: «30,5 %»,
«12 из 40», «1 200 чел.», «2: учитель математики, учитель физики», «фед. 0,
рег. 1, мун. 3», «Да.», «Точка роста и Успех каждого ребёнка». This package turns
such text into plain JSON-able values (stored as JSON, exported to Excel), shows a
value back to a person, and checks answers against each other and against the
school's base counts (the number of teachers, of pupils...).

Everything here is pure: no aiogram, no I/O. A wrong answer raises
``AnswerError`` (in ``messages``) carrying a ``Msg``: an English message id with
named parameters that says what is wrong, repeats what was typed and says how to
fix it. Nothing is escaped; the caller escapes HTML.

Values by kind:

- link: ``{"url": "https://school.ru/page"}``
- share: ``{"percent": 30.5}`` or ``{"percent": 30.0, "count": 12, "base": 40}``
- count: ``{"count": 3}``
- count_list: ``{"count": 2, "items": ["учитель математики", "учитель физики"]}``
- level_counts: ``{"federal": 0, "regional": 1, "municipal": 3}`` (the indicator's levels)
- yes_no: ``{"yes": True}``
- choice: ``{"options": ["tochka_rosta"], "other": "Моя школа"}`` (``other`` may be None)
- document: ``{"file_name": "справка.pdf", "size": 123456, "mime_type": "application/pdf"}``
"""
