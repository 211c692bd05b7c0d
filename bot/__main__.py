"""`python -m bot` is the same as `wegweiser`."""

from bot.cli import main

main()
