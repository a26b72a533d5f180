"""Keep aiogram's response models alive for the life of the process.

aiogram checks every Bot API answer with ``Response[<the method's result type>]``, a
pydantic generic model. pydantic caches such parametrised classes only weakly, so the
garbage collector frees them between calls and the next answer builds the class again:
several milliseconds each time, some fifty times while 60 people fill in a form (found
with a profiler). Holding the classes of the methods the bot calls keeps them built.
"""

from __future__ import annotations

from aiogram import methods
from aiogram.methods.base import Response

_USED_METHODS = (
    methods.GetMe,
    methods.GetUpdates,
    methods.SendMessage,
    methods.EditMessageText,
    methods.EditMessageReplyMarkup,
    methods.AnswerCallbackQuery,
    methods.SendDocument,
    methods.DeleteMessage,
)

_kept: list[type] = []


def keep_response_models() -> None:
    """Build the response models of the methods the bot calls and hold them for good."""
    if not _kept:
        _kept.extend(Response[method.__returning__] for method in _USED_METHODS)
