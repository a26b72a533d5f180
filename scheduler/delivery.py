"""The one delivery path for what the bot sends on its own initiative: the outbox worker.

Reminders and announcements are queued in the outbox (:mod:`storage.outbox`); one
:class:`DeliveryWorker` sends them at Telegram's rates:

* overall, a token bucket (``rate`` messages a second, ``burst`` at most at once);
* per chat, ``chat_interval`` seconds at least from one message's request, and from its
  answer, to the next request (a restart included);
* a 429 pauses *all* sending for its ``retry_after`` (Telegram's flood limit is per bot), and
  the row is tried again without counting the attempt;
* 5xx answers, broken (HTML) answers, dropped connections and timeouts are tried again with
  exponential back-off and jitter, ``max_attempts`` times in all, then the row fails;
* a row may carry a file (a document or a photo, with the text as its caption) or be an
  edit of the message another row delivered (``edit_of``): the edit waits while that
  message is on its way, fails when it never arrived, and "message is not modified"
  counts as done;
* 403 (blocked by the user, deactivated user): the row and the recipient's other pending
  rows are marked blocked and the person inactive; 400 (chat not found, bad markup...): the
  row fails at once with Telegram's description;
* in quiet hours (``quiet`` in ``zone``), rows of the bulk kinds (reminders, announcements)
  that fall due are put back, due when the quiet hours end; answers to a person's own
  action (review notices) still go.

The worker must see 429s itself, so its ``Bot`` must not retry them on its own: build it
with :func:`create_delivery_bot` (a plain session), never with the interactive bot's
:class:`~bot.retry.RetryAfterMiddleware`.

A row is claimed (``sending``) before it is sent; at shutdown the worker gives back every
claimed row it has not tried. Rows still ``sending`` after a crash go back to pending at the
next start: only the messages in flight at the crash can be sent twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.clock import Clock
from bot.retry import RetryAfterMiddleware
from bot.send_budget import SendBudget
from bot.token_bucket import TokenBucket
from scheduler.quiet import QuietWindow, quiet_until
from storage.outbox import OutboxItem, OutboxRepo
from storage.people import PeopleRepo

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
EDITS = frozenset({"edit_text", "edit_caption"})  # outbox methods that change a sent message


@dataclass(frozen=True, slots=True)
class DeliverySettings:
    rate: float = 25.0  # messages a second over all chats (Telegram allows about 30)
    burst: int = 2  # sends the overall bucket lets out at once after a pause
    chat_interval: float = 1.0  # seconds between two messages to one chat
    max_attempts: int = 8  # counted attempts (429s are not counted) before a row fails
    backoff_base: float = 5.0  # seconds before the 2nd attempt; doubles each time
    backoff_cap: float = 600.0
    batch_size: int = 50  # rows claimed ahead of sending
    concurrency: int = 4  # sends in flight at once
    poll_interval: float = 1.0  # how often to look for rows that have become due
    request_timeout: int = 30  # seconds for one sendMessage
    stop_timeout: float = 10.0  # how long stop() waits for sends in flight
    # quiet hours (local start, end) in ``zone``: bulk rows are held back until they end
    quiet: QuietWindow | None = None
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    # the kinds sent in bulk on the bot's own initiative (not "review": an answer to an action)
    bulk_kinds: frozenset[str] = frozenset({"reminder", "announcement"})
    # an edit whose message is still on its way is tried again this many seconds later
    edit_wait: float = 2.0

    def __post_init__(self) -> None:
        if self.rate < 0 or self.chat_interval < 0 or self.backoff_base < 0:
            raise ValueError("rates, intervals and back-off cannot be negative")
        if min(self.burst, self.max_attempts, self.batch_size, self.concurrency) < 1:
            raise ValueError("burst, max_attempts, batch_size and concurrency must be >= 1")
        if self.poll_interval <= 0:
            raise ValueError("poll_interval must be positive")


@dataclass(slots=True)
class DeliveryStats:
    """What this worker did since it started."""

    sent: int = 0
    retried: int = 0  # transient errors (each one a counted attempt)
    failed: int = 0
    blocked: int = 0
    flood_waits: int = 0  # 429s answered
    paused_seconds: float = 0.0  # sending held back by 429s
    held: int = 0  # bulk rows put back until the quiet hours end


class DeliverySession(AiohttpSession):
    """A plain session that notes the HTTP status on the errors it raises, so that the
    attempt log can tell a 502 from a 500 (aiogram's exceptions do not keep it)."""

    def check_response(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        status_code: int,
        content: str,
    ) -> Response[TelegramType]:
        try:
            return super().check_response(bot, method, status_code, content)
        except (TelegramAPIError, ClientDecodeError) as error:
            error.http_status = status_code  # type: ignore[attr-defined]
            raise


def create_delivery_bot(token: str, api_base: str = "") -> Bot:
    """The worker's own Bot: same token and API server as the interactive one, the same
    defaults (HTML, no link previews), but no RetryAfterMiddleware."""
    api = TelegramAPIServer.from_base(api_base) if api_base else PRODUCTION
    return Bot(
        token,
        session=DeliverySession(api=api),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


_CLASS_STATUS: list[tuple[type[BaseException], int]] = [
    (TelegramRetryAfter, 429),
    (TelegramBadRequest, 400),
    (TelegramUnauthorizedError, 401),
    (TelegramForbiddenError, 403),
    (TelegramNotFound, 404),
    (TelegramConflictError, 409),
    (TelegramEntityTooLarge, 413),
]


def http_status(error: BaseException) -> int | None:
    """The HTTP status of the answer that raised ``error`` (None when no answer came)."""
    status = getattr(error, "http_status", None)
    if isinstance(status, int):
        return status
    for kind, code in _CLASS_STATUS:
        if isinstance(error, kind):
            return code
    return None


def describe(error: BaseException) -> str:
    if isinstance(error, ClientDecodeError):
        return f"ClientDecodeError: {error.message} (not a JSON answer)"
    if isinstance(error, TelegramAPIError):
        return f"{type(error).__name__}: {error.message}"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def keyboard(data: dict[str, Any] | None) -> Markup | None:
    """An aiogram keyboard from the JSON stored in the outbox."""
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.model_validate(data)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.model_validate(data)
    if "force_reply" in data:
        return ForceReply.model_validate(data)
    raise ValueError(f"not a keyboard: {sorted(data)}")


class DeliveryWorker:
    """Sends the outbox. ``await run()`` in a task until ``await stop()``; or ``await
    drain()`` to send what is due now and return (tests, one-off scripts).

    ``clock`` decides which rows are due (default: the database's clock); the pacing
    itself (rates, per-chat interval, 429 pauses) runs on real time.
    """

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepo,
        people: PeopleRepo,
        clock: Clock | None = None,
        settings: DeliverySettings | None = None,
        *,
        rng: random.Random | None = None,
        budget: SendBudget | None = None,
    ) -> None:
        middlewares = getattr(getattr(bot, "session", None), "middleware", ())
        if any(isinstance(m, RetryAfterMiddleware) for m in middlewares):
            raise ValueError(
                "the delivery worker must see 429s itself: give it a Bot without "
                "RetryAfterMiddleware (create_delivery_bot)"
            )
        self.bot = bot
        self.outbox = outbox
        self.people = people
        self.clock = clock or outbox.db.clock
        self.settings = settings or DeliverySettings()
        self.stats = DeliveryStats()
        # Telegram's budget shared with the interactive replies, which go first
        self.budget = budget
        self._rng = rng or random.Random()
        self._bucket = TokenBucket(self.settings.rate, self.settings.burst)
        self._buffer: list[OutboxItem] = []  # claimed, not yet sent; at most one per chat
        self._inflight: dict[asyncio.Task[None], OutboxItem] = {}
        self._chat_next: dict[int, float] = {}  # chat -> monotonic time it may get the next
        self._paused_until = 0.0
        self._wake = asyncio.Event()
        self._dirty = True  # something changed since the last claim: claim again
        self._next_claim = 0.0
        self._paced_soonest = math.inf  # when the first chat left out of the last claim is free
        self._prepared = False
        self._running = False
        self._stopping = False
        self._finished = asyncio.Event()

    # ------------------------------------------------------------------ control

    def notify(self) -> None:
        """Rows were queued: look for them now rather than at the next poll."""
        self._dirty = True
        self._wake.set()

    async def run(self) -> None:
        """Send until :meth:`stop`."""
        await self._serve(until_idle=False)

    async def drain(self) -> None:
        """Send everything that is due now (by the worker's clock), retries that fall due
        meanwhile included, and return once nothing due is left and nothing is in flight."""
        await self._serve(until_idle=True)

    async def stop(self) -> None:
        """Stop claiming and sending; let sends in flight finish (``stop_timeout`` at most),
        give back the claimed rows not tried, and return when :meth:`run` has ended."""
        self._stopping = True
        self._wake.set()
        if self._running:
            await self._finished.wait()

    @property
    def paused(self) -> float:
        """Seconds left of a flood pause (0 when sending)."""
        return max(0.0, self._paused_until - time.monotonic())

    # ------------------------------------------------------------------ the loop

    async def _serve(self, until_idle: bool) -> None:
        if self._running:
            raise RuntimeError("this worker is already running")
        self._running = True
        self._finished.clear()
        self.outbox.add_listener(self.notify)
        try:
            if not self._stopping:
                await self._prepare()
                await self._loop(until_idle)
        finally:
            try:
                await self._shutdown()
            finally:
                self._running = False
                self._finished.set()

    async def _prepare(self) -> None:
        if self._prepared:
            return
        self._prepared = True
        requeued = await self.outbox.requeue_in_flight()
        if requeued:
            log.warning("outbox: %d message(s) left in flight by a crash queued again", requeued)
        # keep the per-chat pacing of the worker before us (sent_at has whole seconds)
        interval = self.settings.chat_interval
        if interval > 0:
            now = self.clock()
            last = await self.outbox.last_sent(now - timedelta(seconds=interval + 1))
            mono = time.monotonic()
            for chat_id, sent_at in last.items():
                wait = (sent_at + timedelta(seconds=1 + interval) - now).total_seconds()
                if wait > 0:
                    self._chat_next[chat_id] = mono + wait

    async def _loop(self, until_idle: bool) -> None:
        settings = self.settings
        while not self._stopping:
            self._wake.clear()
            if len(self._inflight) >= settings.concurrency:
                await self._wait(None)  # a send finishing wakes us
                continue
            try:
                if until_idle and not self._buffer and not self._inflight:
                    if not await self._claim():
                        if self._paced_soonest == math.inf:
                            return  # nothing due at all
                        # due rows may wait for their chat's interval
                        await self._wait(self._paced_soonest - time.monotonic())
                        continue
                elif self._claim_wanted():
                    await self._claim()
            except Exception:
                log.exception("outbox: claiming rows failed")
                await self._wait(settings.poll_interval)
                continue
            now = time.monotonic()
            if self._paused_until > now:
                await self._wait(self._paused_until - now)
                continue
            item = self._pop_ready(now)
            if item is None:
                await self._wait(self._idle_timeout(now))
                continue
            wait = self._bucket.wait_time()
            if wait <= 0 and self.budget is not None:
                wait = self.budget.bulk_wait()  # takes the shared token when it is 0
            if wait > 0:
                self._buffer.insert(0, item)
                await self._wait(wait)
                continue
            self._bucket.take()
            self._chat_next[item.chat_id] = now + settings.chat_interval
            task = asyncio.create_task(self._send(item))
            self._inflight[task] = item

    def _claim_wanted(self) -> bool:
        low_water = max(1, self._batch_size() // 2)
        if len(self._buffer) >= low_water:
            return False
        return self._dirty or time.monotonic() >= self._next_claim

    def _batch_size(self) -> int:
        # enough rows to keep every chat-paced slot of a second busy
        paced = math.ceil(2 * self.settings.rate * self.settings.chat_interval)
        return max(self.settings.batch_size, paced, 1)

    async def _claim(self) -> int:
        """Claim due rows for chats that may get a message now; return how many."""
        now = time.monotonic()
        self._dirty = False
        # chats held back by their interval are left in the table until it has passed
        paced = {chat for chat, ready in self._chat_next.items() if ready > now}
        if len(self._chat_next) > 4 * len(paced) + 1000:
            self._chat_next = {chat: self._chat_next[chat] for chat in paced}
        busy = paced | {item.chat_id for item in self._buffer}
        busy |= {item.chat_id for item in self._inflight.values()}
        limit = self._batch_size() - len(self._buffer)
        moment = self.clock()
        items = await self.outbox.claim(moment, limit, skip_chats=busy, one_per_chat=True)
        items = await self._hold_in_quiet_hours(items, moment)
        self._buffer.extend(items)
        self._paced_soonest = min((self._chat_next[chat] for chat in paced), default=math.inf)
        self._next_claim = min(time.monotonic() + self.settings.poll_interval, self._paced_soonest)
        return len(items)

    async def _hold_in_quiet_hours(
        self, items: list[OutboxItem], now: datetime
    ) -> list[OutboxItem]:
        """In quiet hours, bulk rows go back to the table, due when the quiet hours end."""
        settings = self.settings
        until = quiet_until(now, settings.quiet, settings.zone)
        if until is None:
            return items
        held = [item.id for item in items if item.kind in settings.bulk_kinds]
        if held:
            await self.outbox.hold(held, until)
            self.stats.held += len(held)
            log.info("outbox: %d bulk message(s) held until the quiet hours end", len(held))
        return [item for item in items if item.kind not in settings.bulk_kinds]

    def _pop_ready(self, now: float) -> OutboxItem | None:
        for index, item in enumerate(self._buffer):
            if self._chat_next.get(item.chat_id, 0.0) <= now:
                return self._buffer.pop(index)
        return None

    def _idle_timeout(self, now: float) -> float | None:
        moments = [self._chat_next.get(item.chat_id, 0.0) for item in self._buffer]
        if len(self._buffer) < max(1, self._batch_size() // 2):
            moments.append(self._next_claim)
        return max(0.0, min(moments) - now) if moments else None

    async def _wait(self, seconds: float | None) -> None:
        """Sleep for ``seconds`` (None: no limit) or until something happens: a notify, a
        send ending, a stop."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()

    async def _shutdown(self) -> None:
        self.outbox.remove_listener(self.notify)
        if self._inflight:
            _, pending = await asyncio.wait(set(self._inflight), timeout=self.settings.stop_timeout)
            interrupted = [self._inflight[task] for task in pending]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            if interrupted:
                log.warning("outbox: %d send(s) interrupted at shutdown", len(interrupted))
                # their fate is unknown: pending again, as after a crash (may be sent twice)
                await self.outbox.release(
                    [item.id for item in interrupted], "interrupted by shutdown"
                )
        if self._buffer:
            await self.outbox.release([item.id for item in self._buffer])
            self._buffer.clear()

    # ------------------------------------------------------------------ one message

    async def _send(self, item: OutboxItem) -> None:
        try:
            await self._attempt(item)
        except asyncio.CancelledError:
            raise
        except Exception:
            # the outcome could not be written; the row stays "sending" until the next start
            log.exception("outbox: could not record the outcome for row %d", item.id)
        finally:
            # the interval also runs from the answer, so that a request slow to arrive
            # cannot land less than chat_interval before the next one
            ready = time.monotonic() + self.settings.chat_interval
            self._chat_next[item.chat_id] = max(self._chat_next.get(item.chat_id, 0.0), ready)
            self._inflight.pop(asyncio.current_task(), None)  # type: ignore[arg-type]
            self._dirty = True
            self._wake.set()

    async def _attempt(self, item: OutboxItem) -> None:
        try:
            markup = keyboard(item.markup())
        except ValueError as error:  # pydantic's ValidationError is a ValueError
            await self._fail(item, f"bad reply_markup: {error}", None)
            return
        if item.method in EDITS and not isinstance(markup, InlineKeyboardMarkup | None):
            await self._fail(item, "an edited message takes an inline keyboard only", None)
            return
        edited: int | None = None
        try:
            if item.method in EDITS:
                edited = await self._message_to_edit(item)
                if edited is None:
                    return
                assert isinstance(markup, InlineKeyboardMarkup | None)
                await self._edit(item, edited, markup)
                message_id = edited
            else:
                message_id = await self._deliver(item, markup)
        except TelegramRetryAfter as error:
            await self._flood(item, error)
        except TelegramForbiddenError as error:
            await self._blocked(item, error)
        except (TelegramBadRequest, TelegramMigrateToChat, TelegramEntityTooLarge) as error:
            if edited is not None and "not modified" in str(error):
                # the message already says this (an edit sent again after a crash)
                await self.outbox.mark_sent(item.id, edited)
                self.stats.sent += 1
                return
            # the message or the chat is wrong: sending it again would not help
            await self._fail(item, describe(error), http_status(error))
        except (TelegramAPIError, ClientDecodeError, TimeoutError) as error:
            # 5xx, network errors and timeouts (TelegramNetworkError), HTML error pages;
            # 401/404 too: the bot's token or API address, not the message, is wrong
            await self._retry(item, error)
        except Exception as error:
            log.exception("outbox: unexpected error sending row %d", item.id)
            await self._retry(item, error)
        else:
            await self.outbox.mark_sent(item.id, message_id)
            self.stats.sent += 1

    async def _deliver(self, item: OutboxItem, markup: Markup | None) -> int:
        """Send a new message (a text, or a file with the text as its caption); its id."""
        timeout = self.settings.request_timeout
        if item.method == "document":
            message = await self.bot.send_document(
                chat_id=item.chat_id,
                document=item.file_id or "",
                caption=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
                request_timeout=timeout,
            )
        elif item.method == "photo":
            message = await self.bot.send_photo(
                chat_id=item.chat_id,
                photo=item.file_id or "",
                caption=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
                request_timeout=timeout,
            )
        else:
            message = await self.bot.send_message(
                chat_id=item.chat_id,
                text=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
                request_timeout=timeout,
            )
        return message.message_id

    async def _message_to_edit(self, item: OutboxItem) -> int | None:
        """The id of the delivered message an edit row changes. None when there is nothing
        to do now: the message never arrived (the row fails) or is still on its way (the
        row waits ``edit_wait`` seconds and is tried again, no attempt counted)."""
        original = await self.outbox.get(item.edit_of) if item.edit_of is not None else None
        if original is not None and original.state == "sent" and original.telegram_message_id:
            return original.telegram_message_id
        if original is not None and original.state in ("pending", "sending"):
            until = self.clock() + timedelta(seconds=self.settings.edit_wait)
            await self.outbox.hold([item.id], until)
            return None
        await self._fail(item, "the message to edit was not delivered", None)
        return None

    async def _edit(
        self, item: OutboxItem, message_id: int, markup: InlineKeyboardMarkup | None
    ) -> None:
        if item.method == "edit_caption":
            await self.bot.edit_message_caption(
                chat_id=item.chat_id,
                message_id=message_id,
                caption=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
                request_timeout=self.settings.request_timeout,
            )
        else:
            await self.bot.edit_message_text(
                chat_id=item.chat_id,
                message_id=message_id,
                text=item.text,
                parse_mode=item.parse_mode,
                reply_markup=markup,
                request_timeout=self.settings.request_timeout,
            )

    async def _flood(self, item: OutboxItem, error: TelegramRetryAfter) -> None:
        """Telegram's flood limit is per bot: hold back every send, then try this row again."""
        until = time.monotonic() + error.retry_after
        if self.budget is not None:
            self.budget.pause(error.retry_after)
        if until > self._paused_until:
            self.stats.paused_seconds += until - max(self._paused_until, time.monotonic())
            self._paused_until = until
            self._bucket.empty()
            log.warning("outbox: flood limit, all sending paused for %s s", error.retry_after)
        self.stats.flood_waits += 1
        self._buffer.insert(0, item)
        await self.outbox.record_attempt(item.id, "retry_after", 429, describe(error))

    async def _blocked(self, item: OutboxItem, error: TelegramForbiddenError) -> None:
        person_id = await self.outbox.mark_blocked(item.id, describe(error), http_status(error))
        if person_id is not None:
            await self.people.set_active(person_id, False)
        self.stats.blocked += 1
        log.info("outbox: chat %d blocked the bot (person %s)", item.chat_id, person_id)

    async def _fail(self, item: OutboxItem, error: str, status: int | None) -> None:
        await self.outbox.mark_failed(item.id, error, status)
        self.stats.failed += 1
        log.warning("outbox: row %d to chat %d failed: %s", item.id, item.chat_id, error)

    async def _retry(self, item: OutboxItem, error: BaseException) -> None:
        attempt = item.attempts + 1
        text = describe(error)
        if attempt >= self.settings.max_attempts:
            await self._fail(item, f"{text} (after {attempt} attempts)", http_status(error))
            return
        delay = self.backoff(attempt)
        await self.outbox.mark_retry(
            item.id, self.clock() + timedelta(seconds=delay), text, http_status(error)
        )
        self.stats.retried += 1
        log.info("outbox: row %d attempt %d: %s; again in %.0f s", item.id, attempt, text, delay)

    def backoff(self, attempt: int) -> float:
        """Seconds before the try after ``attempt`` failed ones: doubling from
        ``backoff_base``, capped, with "equal jitter" (half fixed, half random) so rows that
        failed together do not all come back together."""
        settings = self.settings
        delay = min(settings.backoff_cap, settings.backoff_base * 2 ** (attempt - 1))
        return delay / 2 + self._rng.uniform(0, delay / 2)
