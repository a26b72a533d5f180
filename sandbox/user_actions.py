"""What simulated users do: write, upload, press buttons, block the bot.

Each action queues the update Telegram would deliver to the bot and returns a small summary
(``update_id`` and the new message's or callback query's id).
"""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from .state import (
    Chat,
    ControlError,
    SandboxState,
    StoredMessage,
    callback_button,
    find_button,
)

USER_FIELDS = ("first_name", "last_name", "username", "language_code")


def _user_chat(state: SandboxState, user_id: int, fields: dict[str, Any]) -> Chat:
    if user_id in state.blocked:
        raise ControlError(f"user {user_id} has blocked the bot; unblock them first", 409)
    state.remember_user(user_id, {k: fields.get(k) for k in USER_FIELDS})
    return state.chats[user_id]


def _queue_message(
    state: SandboxState, user_id: int, fields: dict[str, Any], content: dict[str, Any]
) -> dict[str, Any]:
    chat = _user_chat(state, user_id, fields)
    message = state.add_message(
        chat, from_bot=False, sender=state.user_object(user_id), content=content
    )
    update_id, delivered = state.enqueue("message", message.api_view(), chat)
    result: dict[str, Any] = {"update_id": update_id, "message_id": message.message_id}
    if not delivered:
        result["dropped"] = True
    return result


def send_text(
    state: SandboxState, user_id: int, text: str, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A text message; a leading ``/command`` gets its ``bot_command`` entity as in Telegram."""
    if not text:
        raise ControlError("text must be non-empty")
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        length = len(command.encode("utf-16-le")) // 2
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return _queue_message(state, user_id, fields or {}, content)


def send_document(
    state: SandboxState,
    user_id: int,
    file_name: str,
    content: bytes,
    *,
    mime_type: str | None = None,
    caption: str | None = None,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message with a document the user uploaded."""
    _user_chat(state, user_id, fields or {})
    message: dict[str, Any] = {"document": state.store_document(content, file_name, mime_type)}
    if caption:
        message["caption"] = caption
    return _queue_message(state, user_id, fields or {}, message)


def send_photo(
    state: SandboxState,
    user_id: int,
    content: bytes,
    *,
    caption: str | None = None,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message with a photo (any bytes; the size is read from the header when possible)."""
    _user_chat(state, user_id, fields or {})
    message: dict[str, Any] = {"photo": state.store_photo(content)}
    if caption:
        message["caption"] = caption
    return _queue_message(state, user_id, fields or {}, message)


def send_sticker(
    state: SandboxState, user_id: int, emoji: str = "👍", fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A message with a regular static sticker."""
    _user_chat(state, user_id, fields or {})
    stored = state.store_file(
        "sticker",
        b"RIFF\x00\x00\x00\x00WEBP",
        mime_type="image/webp",
        width=512,
        height=512,
        extension="webp",
    )
    sticker = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "file_size": stored.size,
    }
    return _queue_message(state, user_id, fields or {}, {"sticker": sticker})


def send_voice(
    state: SandboxState, user_id: int, duration: int = 1, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A message with a voice note."""
    _user_chat(state, user_id, fields or {})
    stored = state.store_file("voice", b"OggS", mime_type="audio/ogg", extension="oga")
    voice = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": duration,
        "mime_type": "audio/ogg",
        "file_size": stored.size,
    }
    return _queue_message(state, user_id, fields or {}, {"voice": voice})


def send_contact(
    state: SandboxState, user_id: int, contact: dict[str, Any], fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A shared contact; without a phone number the user's own (made-up) one is shared."""
    chat = _user_chat(state, user_id, fields or {})
    profile = state.users[chat.user_id]
    shared = {
        "phone_number": contact.get("phone_number") or f"+7900{user_id % 10_000_000:07d}",
        "first_name": contact.get("first_name") or profile["first_name"],
        "user_id": contact.get("user_id", user_id),
    }
    if contact.get("last_name") or (contact.get("user_id") is None and profile.get("last_name")):
        shared["last_name"] = contact.get("last_name") or profile.get("last_name")
    return _queue_message(state, user_id, fields or {}, {"contact": shared})


def send_location(
    state: SandboxState,
    user_id: int,
    location: dict[str, Any],
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A shared location."""
    try:
        point = {"latitude": float(location["latitude"]), "longitude": float(location["longitude"])}
    except (KeyError, TypeError, ValueError):
        raise ControlError("location needs numeric latitude and longitude") from None
    return _queue_message(state, user_id, fields or {}, {"location": point})


def _describe_buttons(chat: Chat) -> str:
    found = []
    for message in chat.messages.values():
        if message.from_bot and not message.deleted:
            for button in message.inline_buttons():
                found.append(
                    f"#{message.message_id} {button.get('text')!r}"
                    f" data={button.get('callback_data')!r}"
                )
    return "; ".join(found[-20:]) or "none"


def press_button(
    state: SandboxState,
    user_id: int,
    *,
    callback_data: str | None = None,
    button_text: str | None = None,
    message_id: int | None = None,
    force: bool = False,
    fields: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Press an inline callback button, as the user would in a Telegram client.

    With ``message_id`` the button is looked for on that message; without, on the most recent
    bot message that has a matching button. ``force`` (with ``message_id`` and
    ``callback_data``) sends the data even if no such button is shown - a stale press.
    """
    if callback_data is None and button_text is None:
        raise ControlError("give callback_data and/or button_text")
    chat = state.chats.get(user_id)
    if chat is None:
        raise ControlError(f"user {user_id} has no chat with the bot")
    chat = _user_chat(state, user_id, fields or {})
    target: StoredMessage | None = None
    data: str | None = None
    if message_id is not None:
        target = chat.live_message(message_id)
        if target is None or not target.from_bot:
            raise ControlError(f"no bot message {message_id} in chat {user_id} (deleted or absent)")
        button = callback_button(find_button(target, callback_data, button_text))
        if button is not None:
            data = button["callback_data"]
        elif force and callback_data is not None:
            data = callback_data
    else:
        for candidate in reversed(chat.messages.values()):
            if not candidate.from_bot or candidate.deleted:
                continue
            button = callback_button(find_button(candidate, callback_data, button_text))
            if button is not None:
                target, data = candidate, button["callback_data"]
                break
    if target is None or data is None:
        raise ControlError(
            f"no callback button matching text={button_text!r} data={callback_data!r} in chat "
            f"{user_id}; buttons shown: {_describe_buttons(chat)}"
        )
    query_id = str(secrets.randbits(63))
    query = {
        "id": query_id,
        "from": state.user_object(user_id),
        "message": target.api_view(),
        "chat_instance": chat.chat_instance,
        "data": data,
    }
    state.callback_queries[query_id] = {
        "user_id": user_id,
        "message_id": target.message_id,
        "created_at": time.time(),
        "answered": False,
    }
    update_id, delivered = state.enqueue("callback_query", query, chat)
    result: dict[str, Any] = {
        "update_id": update_id,
        "callback_query_id": query_id,
        "message_id": target.message_id,
        "callback_data": data,
    }
    if not delivered:
        result["dropped"] = True
    return result


def _member_update(state: SandboxState, user_id: int, old: str, new: str) -> int | None:
    chat = state.chats.get(user_id)
    if chat is None:
        return None
    bot = state.bot_user(state.known_bot_id)
    new_member: dict[str, Any] = {"status": new, "user": bot}
    if new == "kicked":
        new_member["until_date"] = 0
    payload = {
        "chat": state.chat_object(user_id),
        "from": state.user_object(user_id),
        "date": int(time.time()),
        "old_chat_member": {"status": old, "user": copy.deepcopy(bot)},
        "new_chat_member": new_member,
    }
    update_id, _ = state.enqueue("my_chat_member", payload, chat)
    return update_id


def block(state: SandboxState, user_id: int) -> dict[str, Any]:
    """The user blocks the bot: sends fail with 403 and a ``my_chat_member`` update is queued."""
    if user_id in state.blocked:
        return {"update_id": None}
    state.blocked.add(user_id)
    return {"update_id": _member_update(state, user_id, "member", "kicked")}


def unblock(state: SandboxState, user_id: int) -> dict[str, Any]:
    """The user unblocks the bot (a ``my_chat_member`` update back to ``member``)."""
    if user_id not in state.blocked:
        return {"update_id": None}
    state.blocked.discard(user_id)
    return {"update_id": _member_update(state, user_id, "kicked", "member")}
