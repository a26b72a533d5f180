import gc
import sys

# Importing aiogram and the bot allocates ~200,000 long-lived objects and frees almost
# nothing: the collector's passes meanwhile only cost start-up time (about a fifth of it).
# It is turned back on by bot.cli.main (admin commands) or once the bot is built (run).
gc.disable()

from bot.cli import main  # noqa: E402

sys.exit(main())
