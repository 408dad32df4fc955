"""The command palette's provider: every action of the registry, by name.

Choosing an action runs it where its keys work: global actions on the screen, the others
on the pane of their context (focused first, so the user sees where it happened). A screen
may add commands of its own (exports, say) by defining ``palette_commands()``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape
from textual.widget import Widget

from reader.ui.keys import ACTIONS, CONTEXTS, Action

#: an extra command: (name, help, callback)
PaletteCommand = tuple[str, str, Callable[[], Any]]


def command_name(action: Action) -> str:
    """The palette name of an action: ``"Reading pane: Highlight"``."""
    return f"{CONTEXTS.get(action.context, action.context)}: {action.label}"


class RegistryCommands(Provider):
    """Offers every palette action of :data:`reader.ui.keys.ACTIONS` and the screen's extras."""

    def _commands(self) -> list[PaletteCommand]:
        commands: list[PaletteCommand] = []
        target_for = getattr(self.screen, "context_target", None)
        for action in ACTIONS:
            if not action.palette:
                continue
            if action.context == "global":
                target = self._global_target(action)
                if target is None:
                    continue  # a dialog: the main screen's actions cannot run over it
            else:
                target = target_for(action.context) if target_for else None
                if target is None:
                    continue  # nothing on this screen can run it
            help_text = escape(f"{action.help}  ({action.display_keys})")  # help is markup
            commands.append((command_name(action), help_text, partial(self._run, action, target)))
        extras = getattr(self.screen, "palette_commands", None)
        if extras is not None:
            commands.extend(extras())
        return commands

    def _global_target(self, action: Action) -> DOMNode | None:
        """Where a global action runs: the screen if it has it, else the app, else nowhere."""
        method = f"action_{action.action.split('(', 1)[0]}"
        for node in (self.screen, self.app):
            if callable(getattr(node, method, None)):
                return node
        return None

    async def _run(self, action: Action, target: DOMNode | None) -> None:
        if isinstance(target, Widget) and target.focusable:
            target.focus()
        await self.app.run_action(action.action, target or self.screen)

    async def discover(self) -> Hits:
        """Every command, in registry order."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose name fuzzily matches the query."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                # names may hold data (a saved view's name): never read them as markup
                shown = matcher.highlight(name) if "[" not in name else Content(name)
                yield Hit(score, shown, callback, text=name, help=help_text)
