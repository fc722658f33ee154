"""Fixed-layout ASCII cells read as machine words: shape checks and digits by integer arithmetic.

A cell such as ``2015-03..2019-12`` or an ID number has a fixed width. Its bytes, reinterpreted
as a few unsigned integers (little-endian: byte ``i`` of a word is ``word // 256**i % 256``),
are checked against the layout with two masks a word, and its digits are read with integer
operations, which cost about a hundredth of a string slice and cast per cell.
"""

from __future__ import annotations

import polars as pl

DIGIT = "9"  # in a layout: any ASCII digit; "?": any byte (checked by the caller)
_DTYPES = {2: pl.UInt16, 8: pl.UInt64}


class Layout:
    """A fixed-width layout such as ``9999-99..9999-99``, read in words of ``size`` bytes."""

    def __init__(self, pattern: str, size: int) -> None:
        if len(pattern) % size or not pattern.isascii():
            raise ValueError(f"an ASCII layout of whole {size}-byte words expected: {pattern!r}")
        self.pattern = pattern
        self.size = size
        self.dtype = _DTYPES[size]

    def words(self, cell: pl.Expr) -> list[pl.Expr]:
        """The cell's words; all null where the cell does not have the layout's byte length."""
        count = len(self.pattern) // self.size
        array = cell.cast(pl.Binary).bin.reinterpret(
            dtype=pl.Array(self.dtype, count), endianness="little"
        )
        return [array.arr.get(k) for k in range(count)]

    def matches(self, words: list[pl.Expr]) -> pl.Expr:
        """Every byte as the layout says: digits are 0-9, other characters are themselves."""
        ok: pl.Expr = pl.lit(True)
        for k, word in enumerate(words):
            chunk = self.pattern[k * self.size : (k + 1) * self.size]
            high = pat = low = six = carry = 0
            for i, ch in enumerate(chunk):
                shift = 8 * i
                if ch == DIGIT:  # 0x30-0x39: high nibble 3, low nibble + 6 does not reach 0x10
                    high |= 0xF0 << shift
                    pat |= 0x30 << shift
                    low |= 0x0F << shift
                    six |= 0x06 << shift
                    carry |= 0x10 << shift
                elif ch != "?":
                    high |= 0xFF << shift
                    pat |= ord(ch) << shift
            shape = (word & self._lit(high)) == self._lit(pat)
            if carry:
                shape = shape & (((word & self._lit(low)) + self._lit(six)) & self._lit(carry) == 0)
            ok = ok & shape
        return ok

    def digit(self, words: list[pl.Expr], position: int) -> pl.Expr:
        """The digit at ``position`` (0-9 where :meth:`matches` holds)."""
        return self._shifted(words, position) & self._lit(0x0F)

    def byte(self, words: list[pl.Expr], position: int) -> pl.Expr:
        return self._shifted(words, position) & self._lit(0xFF)

    def _shifted(self, words: list[pl.Expr], position: int) -> pl.Expr:
        """The word holding ``position``, shifted so that its byte is the lowest."""
        word = words[position // self.size]
        shift = position % self.size
        return word // self._lit(256**shift) if shift else word

    def number(self, words: list[pl.Expr], start: int, size: int) -> pl.Expr:
        """The decimal number written at ``start``, ``size`` digits long (at most 4: it stays
        in the word's type), as Int32."""
        if not 0 < size <= 4:
            raise ValueError("1 to 4 digits")
        total = self.digit(words, start)
        for position in range(start + 1, start + size):
            total = total * self._lit(10) + self.digit(words, position)
        return total.cast(pl.Int32)

    def _lit(self, value: int) -> pl.Expr:
        return pl.lit(value, dtype=self.dtype)
