import random

import pytest

from pipelines.text.offsets import OffsetMap, Replacement, apply_replacements


def test_deletions_and_replacements_map_back_to_source():
    source = "區(qū)域經(jīng)驗"
    out, mapping = apply_replacements(
        source, [Replacement(1, 5, "", "gloss"), Replacement(7, 13, "", "gloss")]
    )
    assert out == "區域經驗"
    assert [source[mapping.source_span(i, i + 1)[0]] for i in range(len(out))] == list(out)
    assert mapping.source_span(0, 4) == (0, len(source))


def test_replacement_chars_map_to_the_whole_replaced_span():
    out, mapping = apply_replacements("ab?ldquo;cd", [Replacement(2, 9, "“", "entity")])
    assert out == "ab“cd"
    assert mapping.source_span(2, 3) == (2, 9)
    assert mapping.derived_span(2, 9) == (2, 3)


def test_composition_reaches_the_original_source():
    first, m1 = apply_replacements("xx(a)yy", [Replacement(2, 5, "", "g")])
    second, m2 = apply_replacements(first, [Replacement(0, 2, "", "b")])
    composed = m1.then(m2)
    assert second == "yy"
    assert composed.source_span(0, 2) == (5, 7)


def test_runs_round_trip():
    _, mapping = apply_replacements("abcdefgh", [Replacement(2, 4, "XYZ", "m"), Replacement(6, 7, "", "d")])
    assert OffsetMap.from_runs(mapping.to_runs(), mapping.source_length) == mapping
    assert len(mapping.to_runs()) < len(mapping)


def test_overlapping_replacements_are_refused():
    with pytest.raises(ValueError, match="overlapping"):
        apply_replacements("abcdef", [Replacement(1, 4, "", "a"), Replacement(3, 5, "", "b")])


def _runs_by_loop(mapping: OffsetMap) -> list[list[int]]:
    """The run-length form written the obvious way, character by character: what to_runs must equal."""
    runs: list[list[int]] = []
    for s, e in zip(mapping.starts, mapping.ends, strict=True):
        single = e - s == 1
        if runs and runs[-1][3] and single and s == runs[-1][1]:
            runs[-1][1] += 1
            runs[-1][2] += 1
        elif runs and not runs[-1][3] and not single and (s, e) == tuple(runs[-1][:2]):
            runs[-1][2] += 1
        else:
            runs.append([s, e, 1, int(single)])
    return runs


def _randomly_edited(rng: random.Random, text: str) -> tuple[str, OffsetMap]:
    """`text` after up to a few random non-overlapping replacements, insertions and deletions."""
    edits, pos = [], 0
    while pos < len(text) and rng.random() < 0.8:
        start = rng.randint(pos, len(text))
        end = rng.randint(start, min(len(text), start + 4))
        edits.append(Replacement(start, end, "x" * rng.randint(0, 3), "e"))
        pos = end + 1
    return apply_replacements(text, edits)


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice("ab區域") for _ in range(rng.randint(0, 40)))


def test_runs_equal_the_character_by_character_form_on_random_edits():
    rng = random.Random(5)
    for _ in range(300):
        _, mapping = _randomly_edited(rng, _random_text(rng))
        assert mapping.to_runs() == _runs_by_loop(mapping)
        assert OffsetMap.from_runs(mapping.to_runs(), mapping.source_length) == mapping


def _then_by_loop(first: OffsetMap, later: OffsetMap) -> list[tuple[int, int]]:
    """Composition character by character, straight from its definition: what `then` must equal."""
    out = []
    for s, e in zip(later.starts, later.ends, strict=True):
        if s == e:
            pos = first.starts[s] if s < len(first) else first.source_length
            out.append((pos, pos))
        else:
            out.append((first.starts[s], max(first.ends[s:e])))
    return out


def test_composition_equals_the_character_by_character_form_on_random_edits():
    rng = random.Random(7)
    for _ in range(300):
        first_text, first = _randomly_edited(rng, _random_text(rng))
        _, later = _randomly_edited(rng, first_text)
        composed = first.then(later)
        assert list(zip(composed.starts, composed.ends, strict=True)) == _then_by_loop(first, later)
        assert composed.source_length == first.source_length and len(composed) == len(later)
    with pytest.raises(IndexError, match="outside a text of 2 characters"):
        OffsetMap.identity(2).then(OffsetMap.identity(3))


@pytest.mark.parametrize("length", [0, 1, 7, 2400])
def test_identity_maps_every_character_to_itself(length: int) -> None:
    identity = OffsetMap.identity(length)
    assert list(identity.starts) == list(range(length))
    assert list(identity.ends) == list(range(1, length + 1))
    assert identity.source_length == length
    assert identity.source_span(0, length) == (0, length)
