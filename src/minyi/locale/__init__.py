"""Gettext catalogues of the web pages: Simplified Chinese is the source language, English a translation."""

from __future__ import annotations

import io
from contextvars import ContextVar, Token
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent
DEFAULT_LOCALE = "zh_CN"
LOCALES = ("zh_CN", "en")
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}

_current: ContextVar[str] = ContextVar("minyi_locale", default=DEFAULT_LOCALE)


def pick_locale(raw: str | None) -> str | None:
    """The supported locale a ?lang= value or cookie names (zh, zh-CN, en-GB ...), or None."""
    if not raw:
        return None
    raw = raw.strip().replace("-", "_")
    if raw.lower().startswith("zh"):
        return "zh_CN"
    if raw.lower().startswith("en"):
        return "en"
    return None


@lru_cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale`: the compiled .mo when it is current, else the .po compiled in memory."""
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return Translations(fh, domain="messages")
    if po.exists():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return Translations(buf, domain="messages")
    return NullTranslations()


def current_locale() -> str:
    """The locale of the page being rendered."""
    return _current.get()


def set_locale(locale: str) -> Token[str]:
    """Switch the locale for this request (returns the token to reset it)."""
    return _current.set(locale if locale in LOCALES else DEFAULT_LOCALE)


def gettext(message: str) -> str:
    """Translate `message` into the current locale."""
    return translations(current_locale()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate with a plural form."""
    return translations(current_locale()).ungettext(singular, plural, n)


def pick(zh: str, en: str) -> str:
    """Choose between a Chinese and an English text (domain errors carry both)."""
    return en if current_locale() == "en" else zh


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def reset_locale(token: Token[str]) -> None:
    """Restore the locale that was current before `set_locale`."""
    _current.reset(token)
