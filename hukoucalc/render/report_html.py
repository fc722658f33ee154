"""The report file of ``compare``: one self-contained HTML page (inline CSS, inline SVG charts
drawn here, no script, nothing fetched) with the comparison's tables and charts: score
distributions with each cut-off marked, who enters and leaves, the composition of the admitted,
the sources of the admitted's points, the parameter diffs. Same comparison, same bytes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from html import escape

from hukoucalc.compare.job import Comparison
from hukoucalc.compare.stats import SchemeStats
from hukoucalc.describe import plural
from hukoucalc.engine.points import plain
from hukoucalc.errors import Options, option, word_options
from hukoucalc.render.compare import (
    line_table,
    most_informative,
    percent,
    rounds_note,
    signed,
    summary_rows,
)
from hukoucalc.render.diff import value_text

COLOURS = ("#1f5fa8", "#d0641c", "#2a8c4a", "#8a3ea8", "#b8312f", "#4b8f9c", "#8c6d1f")
ENTER, LEAVE, KEEP = "#2a8c4a", "#b8312f", "#9aa5b1"
WIDTH = 760

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;
margin:2em auto;max-width:60em;padding:0 1em;color:#1d2430;line-height:1.45}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #d5dbe3}
table{border-collapse:collapse;margin:.6em 0 1.2em}
th,td{border:1px solid #d5dbe3;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}thead th{background:#f1f4f8}
.note{color:#5b6675;font-size:.9em}.key{display:inline-block;width:.9em;height:.9em;
margin:0 .3em 0 1em;vertical-align:-.1em}svg{display:block;margin:.5em 0}
svg text{font-size:12px;fill:#1d2430}td.k{font-family:ui-monospace,monospace;font-size:.9em}
"""


def render_report(doc: Comparison, *, options: Options | None = None) -> str:
    """The page; ``options`` words the ways to get the full lists (the CLI's options)."""
    ids = [s.id for s in doc.schemes]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape('hukoucalc compare: ' + ' / '.join(ids))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{escape(' vs '.join(ids))}</h1>",
        f'<p class="note">{doc.rows:,} applications read from '
        f"<code>{escape(doc.input['path'])}</code> (sha256 {escape(doc.input['sha256'][:12])}), "
        f"{doc.invalid:,} invalid and left out under every scheme. Baseline: "
        f"<b>{escape(doc.baseline)}</b>. hukoucalc {escape(doc.hukoucalc)}.</p>",
        _legend(ids),
        "<h2>The pool under each scheme</h2>",
        _summary_table(doc),
        "<h2>Score distributions</h2>",
        '<p class="note">Eligible applicants by total in 5-point bins; '
        "each dashed line is that scheme's cut-off (lowest admitted score).</p>",
        _distribution(doc.schemes),
    ]
    if doc.movers:
        parts += [f"<h2>Who enters and who leaves, against {escape(doc.baseline)}</h2>"]
        parts += [_flows(doc), _movers_table(doc, options)]
    parts += ["<h2>Where the admitted's points come from</h2>", _lines(doc)]
    parts += ["<h2>Who is admitted</h2>", _composition(doc)]
    if doc.diffs:
        parts += ["<h2>What changed in the rules</h2>", _diffs(doc)]
    parts += [_hashes(doc), "</body></html>", ""]
    return "\n".join(parts)


def _legend(ids: list[str]) -> str:
    keys = "".join(
        f'<span class="key" style="background:{_colour(k)}"></span>{escape(i)}'
        for k, i in enumerate(ids)
    )
    return f"<p>{keys}</p>"


def _colour(k: int) -> str:
    return COLOURS[k % len(COLOURS)]


def _table(head: list[str], rows: list[list[str]], raw: bool = False) -> str:
    """A table; cells are escaped unless ``raw`` (then they are already HTML)."""
    cell = (lambda x: x) if raw else escape
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _summary_table(doc: Comparison) -> str:
    rows = [[label, *values] for label, values in summary_rows(doc.schemes)]
    note = rounds_note(doc.schemes)
    warning = f'<p class="note"><b>{escape(note)}</b></p>' if note else ""
    return _table(["", *(x.id for x in doc.schemes)], rows) + warning


def _distribution(schemes: list[SchemeStats]) -> str:
    lows = sorted({b.low for s in schemes for b in s.histogram})
    if not lows:
        return '<p class="note">No eligible applicant under any scheme.</p>'
    step = Decimal(5)
    first, last = lows[0], lows[-1] + step
    most = max(b.count for s in schemes for b in s.histogram) or 1
    height, left, bottom = 220, 50, 30
    span = float(last - first) or 1.0

    def x(value: Decimal) -> float:
        return left + (WIDTH - left - 10) * float(value - first) / span

    def y(count: int) -> float:
        return 10 + (height - bottom - 10) * (1 - count / most)

    out = [_svg_open(WIDTH, height, "score distributions with cut-offs")]
    out.append(
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{WIDTH - 10}" y2="{y(0):.1f}" stroke="#888"/>'
    )
    out.append(f'<text x="{left - 6}" y="{y(most) + 4:.1f}" text-anchor="end">{most:,}</text>')
    out.append(f'<text x="{left - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>')
    ticks = max(1, len(lows) // 10)
    value = first
    n = 0
    while value <= last:
        if n % ticks == 0:
            out.append(
                f'<text x="{x(value):.1f}" y="{height - 10}" text-anchor="middle">{value}</text>'
            )
        value += step
        n += 1
    for k, s in enumerate(schemes):
        found = {b.low: b.count for b in s.histogram}
        points = []
        for low in _range(first, last, step):
            c = found.get(low, 0)
            points += [f"{x(low):.1f},{y(c):.1f}", f"{x(low + step):.1f},{y(c):.1f}"]
        out.append(
            f'<polyline fill="none" stroke="{_colour(k)}" stroke-width="1.8" '
            f'points="{" ".join(points)}"><title>{escape(s.id)}</title></polyline>'
        )
        if s.cutoff is not None:
            cx = x(s.cutoff)
            out.append(
                f'<line x1="{cx:.1f}" y1="10" x2="{cx:.1f}" y2="{y(0):.1f}" stroke="{_colour(k)}"'
                f' stroke-dasharray="5,3" stroke-width="1.5"><title>{escape(s.id)} cut-off '
                f"{plain(s.cutoff)}</title></line>"
            )
            out.append(
                f'<text x="{cx + 3:.1f}" y="{22 + 14 * k}" fill="{_colour(k)}" '
                f'style="fill:{_colour(k)}">{plain(s.cutoff)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def _range(first: Decimal, last: Decimal, step: Decimal) -> list[Decimal]:
    out, value = [], first
    while value < last:
        out.append(value)
        value += step
    return out


def _svg_open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    )


def _flows(doc: Comparison) -> str:
    """Per scheme, two aligned bars: the baseline's admitted (leaving | kept) above the scheme's
    admitted (kept | entering), so the kept part lines up between them."""
    # the scheme's bar starts where the kept part does, after the leaving part
    widest = max(m.leaving + m.overlap + m.entering for m in doc.movers) or 1
    row, right = 64, 90  # room for the "+N enter" label right of the widest bar
    longest = max(len(name) for m in doc.movers for name in (m.baseline, m.scheme))
    left = max(150, 7 * longest + 12)  # scheme ids at about 7 px a character (12 px font)
    height = row * len(doc.movers) + 20
    scale = (WIDTH - left - right) / widest
    out = [_svg_open(WIDTH, height, "who enters and who leaves")]
    for k, m in enumerate(doc.movers):
        top = 10 + row * k
        kept_x = left + m.leaving * scale
        bars = [
            (left, top, m.leaving, LEAVE, f"leave {m.leaving:,}"),
            (kept_x, top, m.overlap, KEEP, f"kept {m.overlap:,}"),
            (kept_x, top + 26, m.overlap, KEEP, f"kept {m.overlap:,}"),
            (kept_x + m.overlap * scale, top + 26, m.entering, ENTER, f"enter {m.entering:,}"),
        ]
        out.append(
            f'<text x="{left - 6}" y="{top + 15}" text-anchor="end">{escape(m.baseline)}</text>'
        )
        out.append(
            f'<text x="{left - 6}" y="{top + 41}" text-anchor="end">{escape(m.scheme)}</text>'
        )
        for bx, by, count, colour, title in bars:
            if count:
                out.append(
                    f'<rect x="{bx:.1f}" y="{by}" width="{count * scale:.1f}" height="20" '
                    f'fill="{colour}"><title>{escape(title)}</title></rect>'
                )
        out.append(
            f'<text x="{left + 4}" y="{top + 15}" style="fill:#fff">{m.leaving:,} leave</text>'
            if m.leaving * scale > 70
            else ""
        )
        end = kept_x + (m.overlap + m.entering) * scale
        out.append(f'<text x="{end + 4:.1f}" y="{top + 41}">+{m.entering:,} enter</text>')
    out.append("</svg>")
    keys = (
        f'<span class="key" style="background:{LEAVE}"></span>leave'
        f'<span class="key" style="background:{KEEP}"></span>admitted under both'
        f'<span class="key" style="background:{ENTER}"></span>enter'
    )
    return "".join(out) + f"<p>{keys}</p>"


def _movers_table(doc: Comparison, options: Options | None) -> str:
    rows = []
    for m in doc.movers:
        first = ", ".join(m.entering_ids[:5]) + (" …" if m.entering > 5 else "")
        gone = ", ".join(m.leaving_ids[:5]) + (" …" if m.leaving > 5 else "")
        rows.append(
            [
                m.scheme,
                f"{m.entering:,}",
                f"{m.leaving:,}",
                f"{m.overlap:,}",
                signed(m.median_rank_change),
                first or "—",
                gone or "—",
            ]
        )
    head = [
        "scheme",
        "enter",
        "leave",
        "both",
        "median rank change",
        "first entering",
        "first leaving",
    ]
    note = (
        '<p class="note">Rank change = baseline rank − new rank (positive: a better place), '
        "over applicants ranked under both. The full lists: "
        f"<code>{escape(word_options(option('movers'), options))} FILE</code> or "
        f"<code>{escape(word_options(option('json'), options))}</code>.</p>"
    )
    return _table(head, rows) + note


def _bar(share: Fraction, colour: str, text: str, width: int = 220) -> str:
    w = max(0.0, min(1.0, float(share))) * width
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + 70}" height="14" '
        f'style="display:inline-block;margin:0;vertical-align:middle">'
        f'<rect x="0" y="1" width="{w:.1f}" height="12" fill="{colour}"/>'
        f'<text x="{w + 4:.1f}" y="12">{escape(text)}</text></svg>'
    )


def _lines(doc: Comparison) -> str:
    rows = []
    for ident, label, lines in line_table(doc.schemes):
        cells = [f"{escape(ident)} {escape(label)}"]
        for k, line in enumerate(lines):
            if line is None or line.share is None:
                cells.append("" if line is None else "—")
            else:
                share = Fraction(line.share) / 100
                cells.append(_bar(share, _colour(k), f"{plain(line.share)}% · {plain(line.mean)}"))
        rows.append(cells)
    note = (
        '<p class="note">Each line (an indicator outside any group, or a group) as a share of '
        "the admitted's summed points, and its mean per admitted applicant.</p>"
    )
    return note + _table(["line", *(s.id for s in doc.schemes)], rows, raw=True)


def _composition(doc: Comparison) -> str:
    admitted = [s.admitted for s in doc.schemes]
    out = []
    for dim in most_informative(doc.composition):
        rows = []
        for cat in dim.categories:
            if not any(cat.counts):
                continue
            cells = [escape(cat.label if dim.kind == "age" else f"{cat.code} {cat.label}")]
            for k, (n, whole) in enumerate(zip(cat.counts, admitted, strict=True)):
                share = Fraction(n, whole) if whole else Fraction(0)
                cells.append(_bar(share, _colour(k), f"{percent(n, whole)} ({n:,})"))
            rows.append(cells)
        spread = f"{dim.id}; shares differ by up to {plural(dim.spread, 'point')}"
        title = f"<h3>{escape(dim.label)} <small class=note>({escape(spread)})</small></h3>"
        out.append(title + _table(["", *(s.id for s in doc.schemes)], rows, raw=True))
    if any(d.kind == "held" for d in doc.composition):
        out.append('<p class="note">Held periods overlap: their shares need not add to 100%.</p>')
    return "".join(out)


def _diffs(doc: Comparison) -> str:
    out = []
    for diff in doc.diffs:
        out.append(f"<h3>{escape(diff.a)} → {escape(diff.b)}: {len(diff.changes)} changes</h3>")
        rows = [
            [
                c.kind,
                c.key,
                c.label,
                "" if c.kind == "added" else value_text(c.old),
                "" if c.kind == "removed" else value_text(c.new),
            ]
            for c in diff.changes
        ]
        out.append(_table(["", "key", "label", diff.a, diff.b], rows))
    return "".join(out)


def _hashes(doc: Comparison) -> str:
    rows = [[s.id, s.title, s.sha256[:16], s.origin] for s in doc.schemes]
    return "<h2>Schemes</h2>" + _table(["id", "title", "sha256", "file"], rows)
