"""The casebook as Markdown with `[^n]` footnotes (GitHub, Pandoc and most editors render them)."""

from __future__ import annotations

import re

from casebook.assemble import Casebook, Claim, Figure, Source
from casebook.notes import Notes, category_label, citation, figure_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md_escape(text: str) -> str:
    """Article text is data: Markdown and HTML characters in it are shown, not interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def render_markdown(book: Casebook) -> str:
    notes = Notes(book)

    def ref(source: Source) -> str:
        return f"[^{notes.number(source)}]"

    def claim(c: Claim) -> str:
        return f"{md_escape(c.text)}{ref(c.source)}"

    def figure(f: Figure) -> str:
        return f"{md_escape(figure_line(f))}{ref(f.source)}"

    out = [f"# {md_escape(book.title)}", ""]
    filters = ", ".join(f"{k}: {v if isinstance(v, str) else ' '.join(v)}" for k, v in book.filters.items())
    out += [
        f"Generated {book.generated} from the Fengqiao Archive warehouse. Filters: {md_escape(filters or 'none')}.",
        "Every statement is footnoted to the sentence it comes from; reprints are credited to the original.",
        *([md_escape(book.hidden_note)] if book.hidden_note else []),
        "",
    ]
    out += ["## Contents", ""]
    for i, section in enumerate(book.stations, start=1):
        out.append(f"- [{i}. {md_escape(section.name)}](#station-{section.station_id})")
        for card in section.practices:
            out.append(f"  - [{md_escape(card.name)}](#practice-{section.station_id}-{card.practice_id})")
    out += ["- [Glossary](#glossary)", "- [Notes](#notes)", ""]

    for i, section in enumerate(book.stations, start=1):
        out += [f'<a id="station-{section.station_id}"></a>', "", f"## {i}. {md_escape(section.name)}", ""]
        where = md_escape(f"{section.where} ({section.kind})")
        out += [f"**Where:** {where}{ref(section.place.source) if section.place else ''}", ""]
        out += ["**Honours:**", ""] + ([f"- {claim(h)}" for h in section.honours] or ["- none reported"]) + [""]
        out += ["**Profile:**", ""] + [f"- {claim(c)}" for c in section.profile]
        out += [f"- {figure(f)}" for f in section.profile_figures] + [""]
        for card in section.practices:
            out += [
                f'<a id="practice-{section.station_id}-{card.practice_id}"></a>',
                "",
                f"### {md_escape(card.name)} — {md_escape(category_label(card.category))}",
                "",
            ]
            out += ["**What it is.** " + " ".join(claim(c) for c in card.what), ""]
            how = " ".join(claim(c) for c in card.mechanism) or "No further description in the sources."
            out += ["**How it works.** " + how, ""]
            who = "、".join(f"{md_escape(t.term)}{ref(t.claim.source)}" for t in card.actors) or "not named"
            out += ["**Who carries it out.** " + who, ""]
            means = [f"{md_escape(t.term)}{ref(t.claim.source)}" for t in card.resources]
            means += [figure(f) for f in card.resource_figures]
            out += ["**With what resources.** " + ("; ".join(means) or "not named"), ""]
            out += ["**Reported outcomes.**", ""]
            out += [f"- {figure(f)}" for f in card.outcomes] or ["- no figures reported"]
            out += [""]

    out += [
        '<a id="glossary"></a>',
        "",
        "## Glossary",
        "",
        "| term | pinyin | meaning | articles | first use |",
        "|---|---|---|---|---|",
    ]
    for entry in book.glossary:
        first = ref(entry.first_use.source) if entry.first_use else ""
        out.append(
            f"| {md_escape(entry.term)} | {md_escape(entry.pinyin)} | {md_escape(entry.meaning)} | "
            f"{entry.articles} | {first} |"
        )
    out += ["", '<a id="notes"></a>', "", "## Notes", ""]
    out += [f"[^{n}]: {md_escape(citation(s))}" for n, s in enumerate(notes.sources, start=1)]
    return "\n".join(out) + "\n"
