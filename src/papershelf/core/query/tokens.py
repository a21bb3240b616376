"""The filter language's words: `QueryError` and the tokenizer that splits query text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from papershelf.core.errors import InvalidInput


class QueryError(InvalidInput):
    """A query that cannot be compiled; `start`/`end` is the span of the text at fault."""

    title = "Invalid filter"

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.start = start
        """Offset of the first character at fault."""
        self.end = max(end, start)
        """Offset just past the text at fault (== start for a point, e.g. end of text)."""

    def located(self) -> str:
        """The message with where the fault is, for a command line: `… (at character 7).`"""
        return f"{self.message} (at character {self.start + 1})."


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    """'(', ')', 'OR', 'NOT', 'MINUS', 'WORD', 'PHRASE' or 'FIELD'."""
    start: int
    end: int
    value: str = ""
    """The word or phrase; for FIELD the value after the colon."""
    name: str = ""
    """For FIELD: the field name as typed (lower-cased)."""
    quoted: bool = False


_FIELD_NAME = re.compile(r"([A-Za-z]+):")
_BARE_END = re.compile(r'[\s()"]')


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
        elif char in "()":
            tokens.append(Token(char, position, position + 1))
            position += 1
        elif char == '"':
            value, end = _read_quoted(text, position)
            tokens.append(Token("PHRASE", position, end, value, quoted=True))
            position = end
        elif char == "-":
            # A dash standing alone is punctuation ("GPT - 4"), not an exclusion.
            if position + 1 < length and not text[position + 1].isspace():
                tokens.append(Token("MINUS", position, position + 1))
            position += 1
        else:
            token, position = _read_bare(text, position)
            tokens.append(token)
    return tokens


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and its closing quote, and the offset after it."""
    close = text.find('"', start + 1)
    if close < 0:
        raise QueryError('Unclosed quote: add a closing "', start, len(text))
    return text[start + 1 : close], close + 1


def _read_bare(text: str, start: int) -> tuple[Token, int]:
    match = _FIELD_NAME.match(text, start)
    if match and not text.startswith("//", match.end()):
        value_at = match.end()
        if value_at < len(text) and text[value_at] == '"':
            value, end = _read_quoted(text, value_at)
            quoted = True
        else:
            stop = _BARE_END.search(text, value_at)
            end = stop.start() if stop else len(text)
            value, quoted = text[value_at:end], False
        return Token("FIELD", start, end, value, match[1].lower(), quoted), end
    stop = _BARE_END.search(text, start + 1)
    end = stop.start() if stop else len(text)
    word = text[start:end]
    if word in ("OR", "|"):
        return Token("OR", start, end), end
    if word == "NOT":
        return Token("NOT", start, end), end
    if word == "AND":
        return Token("AND", start, end), end
    return Token("WORD", start, end, word), end
