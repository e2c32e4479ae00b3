from pipelines.text.segment import search_tokens, split_sentences, tokenize, tokenizer


def test_sentences_end_at_terminal_punctuation_with_closing_quotes_and_at_lines():
    text = "“东郊路有人吵架！”5月20日下午，民警到场。\n以情以理 巧为矛盾化解人\n顺利调解的密码是什么？"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "“东郊路有人吵架！”",
        "5月20日下午，民警到场。",
        "以情以理 巧为矛盾化解人",
        "顺利调解的密码是什么？",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_domain_dictionary_keeps_terms_whole():
    words = [t.text for t in tokenize("派出所深入践行新时代“枫桥经验”，网格员和义警参与调处矛盾纠纷")]
    for term in ("枫桥经验", "网格员", "义警", "调处", "矛盾纠纷", "派出所"):
        assert term in words


def test_token_spans_point_into_the_text():
    text = "社区民警联合网格员调解纠纷"
    assert all(text[t.start : t.end] == t.text for t in tokenize(text))


def test_search_tokens_include_words_inside_longer_tokens():
    tokens = search_tokens("边境派出所移民管理警察")
    assert "派出所" in tokens and "边境派出所" in tokens and "警察" in tokens


def test_tokenizer_is_loaded_once_per_process():
    assert tokenizer() is tokenizer()


def test_every_stage_reports_progress_per_item():
    from pipelines.batch import progress
    from pipelines.batch.stages import process_files
    from tests.conftest import SEEDS

    seen: list[tuple[str, int, int]] = []
    with progress.reporting_to(lambda stage, done, total: seen.append((stage, done, total))):
        process_files([SEEDS["000"], SEEDS["002"]])
    for stage in ("read", "clean", "simplify", "segment"):
        assert [(d, t) for s, d, t in seen if s == stage] == [(1, 2), (2, 2)]
    process_files([SEEDS["000"]])  # outside the context nothing is reported
    assert len(seen) == 8
