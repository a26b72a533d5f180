"""Wiring: the bot, the dispatcher with its middlewares and routers, and polling."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import random
import time
from dataclasses import dataclass, replace

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.api_models import keep_response_models
from bot.chart_renderer import ChartRenderer
from bot.clock import Clock, system_clock
from bot.commands import set_default_commands, sync_all_commands
from bot.i18n import N_, get_i18n
from bot.indicators.catalog import DEFAULT_CATALOG, Catalog, load_catalog
from bot.middlewares import (
    FloodGuardMiddleware,
    FormStillOpenMiddleware,
    HandledUpdatesMiddleware,
    LocaleMiddleware,
    PersonMiddleware,
)
from bot.retry import RetryAfterMiddleware
from bot.send_budget import SendBudget
from bot.settings import Settings, SettingsError
from handlers import (
    announce,
    announce_results,
    announce_send,
    announce_text,
    assessments,
    calendar,
    charts,
    common,
    confirm,
    consultation_booking,
    consultation_publishing,
    consultation_report,
    consultations,
    deputies,
    documents,
    errors,
    export,
    fallback,
    invites,
    progress,
    refusals,
    reminders,
    review,
    roadmap,
    rsvp,
    start,
    status,
    submit,
)
from scheduler.announcements import (
    AnnouncementScheduler,
    start_announcements,
    stop_announcements,
)
from scheduler.delivery import DeliverySettings, DeliveryWorker, create_delivery_bot
from scheduler.reminders import ReminderScheduler
from storage.db import Database
from storage.fsm import SQLiteStorage
from storage.repo import Repo

log = logging.getLogger(__name__)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("school-support-bot")
    except PackageNotFoundError:  # run from a checkout that was not installed
        return "(not installed)"


def create_bot(settings: Settings, budget: SendBudget | None = None) -> Bot:
    """The interactive bot: its replies share Telegram's budget with the outbox (ahead of it)
    and wait out a 429 rather than being lost."""
    keep_response_models()
    session = AiohttpSession()
    if settings.bot_api_base:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.bot_api_base))
    session.middleware(RetryAfterMiddleware(budget))
    return Bot(
        settings.token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_dispatcher(
    settings: Settings, repo: Repo, catalog: Catalog, clock: Clock = system_clock
) -> Dispatcher:
    """The dispatcher; ``settings``, ``repo``, ``catalog`` and ``clock`` reach handlers as
    parameters of those names (as do ``person``, ``roles`` and ``locale`` from the
    middlewares)."""
    dp = Dispatcher(
        storage=SQLiteStorage(repo.db),
        events_isolation=SimpleEventIsolation(),
        settings=settings,
        repo=repo,
        catalog=catalog,
        clock=clock,
    )
    dp.update.outer_middleware(HandledUpdatesMiddleware(repo))
    dp.update.outer_middleware(PersonMiddleware(repo))
    LocaleMiddleware(get_i18n(settings.default_locale), settings.default_locale).setup(dp)
    flood_guard = FloodGuardMiddleware(settings.flood_burst, settings.flood_rate)
    dp.message.outer_middleware(flood_guard)
    dp.callback_query.outer_middleware(flood_guard)
    dp.message.outer_middleware(FormStillOpenMiddleware())
    dp.include_routers(
        errors.router,
        submit.router,  # the busiest: form answers (commands pass through to the others)
        common.router,  # /cancel, /help and /lang work in the middle of any step
        progress.router,  # before start: a report's file link is a /start payload
        confirm.router,  # answering a request: its steps take texts and files
        start.router,
        invites.router,
        deputies.router,  # a principal's /invite: after the coordinators' own
        status.router,
        review.router,
        export.router,
        calendar.router,
        reminders.router,
        roadmap.router,
        consultations.router,
        consultation_booking.router,
        consultation_publishing.router,
        consultation_report.router,
        announce.router,
        announce_text.router,
        announce_send.router,
        announce_results.router,
        rsvp.router,
        charts.router,
        assessments.router,
        documents.router,
        refusals.router,  # what a person's roles do not allow, said politely
        fallback.router,
    )
    return dp


@dataclass
class App:
    settings: Settings
    db: Database
    repo: Repo
    bot: Bot
    dp: Dispatcher

    async def close(self) -> None:
        self.dp["chart_renderer"].close()
        await self.bot.session.close()
        await self.db.close()


async def open_app(
    settings: Settings,
    clock: Clock = system_clock,
    *,
    delivery: DeliverySettings | None = None,
) -> App:
    """Everything wired, nothing started. ``delivery``: the outbox worker's rates (tests
    pass faster back-off); its quiet hours always come from ``settings``."""
    started = time.monotonic()
    catalog = load_catalog(settings.indicators_path or DEFAULT_CATALOG)
    budget = SendBudget()  # Telegram's overall limit, replies first, then the outbox
    bot = create_bot(settings, budget)
    db = await Database.open(settings.database_path, clock)
    applied = await db.migrate()
    log.info(
        "school-support-bot %s; database %s, schema version %d%s; time zone %s",
        _version(),
        settings.database_path,
        await db.schema_version(),
        f" (migrations {', '.join(map(str, applied))} applied now)" if applied else "",
        settings.timezone,
    )
    repo = Repo(db)
    dp = create_dispatcher(settings, repo, catalog, clock)
    # everything the bot sends on its own initiative leaves through the outbox worker
    delivery = replace(delivery or DeliverySettings(), quiet=settings.quiet, zone=settings.zone)
    dp["delivery_worker"] = DeliveryWorker(
        create_delivery_bot(settings.token(), settings.bot_api_base),
        repo.outbox,
        repo.people,
        settings=delivery,
        budget=budget,
    )
    # charts are drawn in a worker process, started on the first chart
    dp["chart_renderer"] = ChartRenderer()
    # the job list that mirrors the calendar; handlers rebuild it when the calendar changes
    dp["reminders"] = ReminderScheduler(repo, catalog, settings, clock, charts=dp["chart_renderer"])
    dp.startup.register(_on_startup)
    dp.shutdown.register(_on_shutdown)
    # seminar announcements: their jobs, sendings and progress messages
    dp["announcements"] = AnnouncementScheduler(repo, settings, clock, bot, rate=delivery.rate)
    dp.startup.register(start_announcements)
    dp.shutdown.register(stop_announcements)
    log.debug("application wired in %.2f s", time.monotonic() - started)
    return App(settings, db, repo, bot, dp)


async def reach_telegram(bot: Bot, *, first_delay: float = 1.0, max_delay: float = 60.0) -> None:
    """Make sure the Bot API answers before polling: a network failure, a 5xx or a time-out
    is tried again with capped back-off and jitter (said once in the log); a token Telegram
    refuses ends start-up with a :class:`SettingsError` (one sentence, exit code 2)."""
    delay = first_delay
    said = False
    while True:
        try:
            await bot.me()  # cached for aiogram's own start-up
            await bot.delete_webhook(drop_pending_updates=False)
            if said:
                log.info("Telegram answers again")
            return
        except (TelegramUnauthorizedError, TelegramNotFound) as error:
            log.debug("getMe refused: %r", error)
            raise SettingsError(
                N_(
                    "Telegram does not accept BOT_TOKEN: check it with @BotFather (or make a "
                    "new one) and set it in the environment or the .env file"
                )
            ) from None
        except (TelegramAPIError, ClientDecodeError, OSError, TimeoutError) as error:
            if not said:
                log.warning(
                    "the Bot API does not answer (%s); trying again, every minute at most",
                    type(error).__name__,
                )
                said = True
            log.debug("Bot API not reached: %r", error)
            await asyncio.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, max_delay)


async def _on_startup(
    bot: Bot,
    repo: Repo,
    settings: Settings,
    dispatcher: Dispatcher,
    delivery_worker: DeliveryWorker,
    reminders: ReminderScheduler,
) -> None:
    me = await bot.me()
    if me.username:
        await repo.meta.set("bot_username", me.username)
    await repo.handled_updates.forget_old()
    # command lists are set in the background: polling starts without waiting for them
    commands = asyncio.create_task(_set_commands(bot, repo, settings.default_locale))
    dispatcher["background_tasks"] = {commands}
    dispatcher["delivery_task"] = asyncio.create_task(delivery_worker.run())
    # reminders are planned once polling runs: people are answered from the first second
    dispatcher["reminders_planned"] = asyncio.create_task(_plan_reminders(reminders))
    log.info("bot @%s", me.username)


async def _plan_reminders(reminders: ReminderScheduler) -> None:
    try:
        await reminders.start()
    except Exception:  # the bot still answers people; the log says why nothing is reminded
        log.exception("reminders could not be planned")


async def _set_commands(bot: Bot, repo: Repo, default_locale: str) -> None:
    try:
        await set_default_commands(bot, default_locale)
    except TelegramAPIError as error:
        log.warning("default command lists not set: %s", error)
    await sync_all_commands(bot, repo, default_locale)


async def _on_shutdown(
    dispatcher: Dispatcher, delivery_worker: DeliveryWorker, reminders: ReminderScheduler
) -> None:
    if (planning := dispatcher.get("reminders_planned")) is not None:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await planning  # a plan half made would only be made again; let it finish
    await reminders.shutdown()
    for task in dispatcher.get("background_tasks", set()):
        task.cancel()
    for task in dispatcher.get("background_tasks", set()):
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await delivery_worker.stop()
    if (task := dispatcher.get("delivery_task")) is not None:
        await task
    await delivery_worker.bot.session.close()


async def run_polling(settings: Settings, *, handle_signals: bool = True) -> None:
    app = await open_app(settings)
    # Everything built at start-up (aiogram's and pydantic's classes above all) lives as
    # long as the process: moved out of the collector's sight, a full collection no longer
    # walks it on every pass (each took ~0.2 s, a pause in every reply under load). The
    # collector was off while all that was built (bot/__main__.py); the little garbage it
    # left (a couple of thousand objects) is frozen with it rather than collected, which
    # would take a third of a second before the first poll.
    gc.freeze()
    gc.enable()
    # The collector starts a pass whenever 700 more objects are alive than at the last one.
    # Updates handled together keep many thousands alive for a moment (aiogram's and
    # pydantic's models, coroutines), so under load it walked them every update or so,
    # ~15 % of the CPU an answer takes, and found nothing: they are freed by reference
    # counting once handled. Passes now start at 50,000, rare and still bounding memory.
    gc.set_threshold(50_000, 10, 10)
    try:
        await reach_telegram(app.bot)
        await app.dp.start_polling(
            app.bot,
            handle_signals=handle_signals,
            close_bot_session=False,
            allowed_updates=app.dp.resolve_used_update_types(),
        )
    finally:
        await app.close()
