"""The language switcher as plain links: the same page under each language's URL prefix.

Links instead of a form keep CSRF tokens off anonymous pages, so those pages can be cached
whole; the URL prefix alone chooses the language."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

# Each language is named in itself, so that a reader who cannot read the current one finds hers.
NATIVE_NAMES = {"es-pe": "Español", "en": "English"}


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool

    @property
    def lang(self) -> str:
        return self.code.split("-")[0]


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    return [
        LanguageLink(
            code=code,
            name=NATIVE_NAMES.get(code, code),
            url=translate_url(path, code),
            current=code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
