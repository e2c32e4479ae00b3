from pipelines.offsets import OffsetMap, Replacement, apply_replacements


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
    import pytest

    with pytest.raises(ValueError, match="overlapping"):
        apply_replacements("abcdef", [Replacement(1, 4, "", "a"), Replacement(3, 5, "", "b")])
