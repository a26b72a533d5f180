"""A command typed in the middle of the form is a command, not an answer; a typed answer
after it still answers the open question."""

from __future__ import annotations

from pathlib import Path

from tests.harness import (
    SEPTEMBER,
    answer,
    bot_under_test,
    open_october,
    principal_of_new_school,
)


async def test_a_command_mid_form_is_handled_as_a_command_and_the_question_stays_open(
    tmp_path: Path,
) -> None:
    async with bot_under_test(tmp_path, clock=lambda: SEPTEMBER) as env:
        _, user = await principal_of_new_school(env)
        first = await open_october(env, user)
        assert "вопрос 1 из" in first["text"]

        listing = await answer(env, user, "/submit")
        assert "Показатели: " in listing["text"] and "до 1 октября" in listing["text"]

        second = await answer(env, user, "40")  # answers question 1, still open
        assert "вопрос 2 из" in second["text"]
