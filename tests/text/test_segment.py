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


# Shapes where jieba-rs's own cut or tagger would differ from jieba 0.42.1's (ASCII runs, dates, rates, URLs,
# runs of characters that are no dictionary word, Traditional text the dictionary barely knows), beside plain ones.
_AWKWARD = [
    "时间:2023-12-20 来源:中国长安网 作者:佚名",
    "矛盾纠纷化解率达98%，群众满意率99.2%，3个派出所",
    "http://www.chinapeace.gov.cn/2023-12/content_12701709.shtml",
    "与越南一河之隔,这个边境市的平安经验都在这……",
    "一进高桥派出所，民警就驻梧田派出所警调室调解",
    "以情以理 巧为矛盾化解人，越擦越亮",
    "QQ群和微信群里，C++、A股、T恤、B超、K歌、AA制",
    "楓橋經驗在邊境派出所落地生根，網格員走街串巷",
    "刑事警情同比下降16.1%，2023年1-10月共调处纠纷352起",
    "",
    "   ",
]


def _reference():
    """jieba 0.42.1 alone, with the domain dictionary: what the segmenter must reproduce."""
    import jieba
    import jieba.posseg

    from pipelines.text.segment import DOMAIN_DICTIONARY

    tok = jieba.Tokenizer()
    with DOMAIN_DICTIONARY.open("rb") as handle:
        tok.load_userdict(handle)
    return tok, jieba.posseg.POSTokenizer(tok)


def _seed_sentences() -> list[str]:
    from tests.conftest import SEEDS, seed_text

    return [s.text for prefix in SEEDS for s in split_sentences(seed_text(prefix))]


def test_tokens_and_tags_are_jieba_0_42_1s_token_for_token():
    """jieba-rs computes the route, jieba's HMMs do the rest: every call the pipeline makes gives what jieba gives."""
    from pipelines.text.segment import pos_tokenizer

    ref, ref_pos = _reference()
    tok, pos = tokenizer(), pos_tokenizer()
    sentences = _AWKWARD + _seed_sentences()
    assert len(sentences) > 300
    for s in sentences:
        assert tok.lcut(s) == ref.lcut(s), s
        assert tok.lcut(s, HMM=False) == ref.lcut(s, HMM=False), s
        assert tok.lcut_for_search(s) == ref.lcut_for_search(s), s
        assert list(tok.tokenize(s)) == list(ref.tokenize(s)), s
        for hmm in (True, False):
            got = [(p.word, p.flag) for p in pos.cut(s, HMM=hmm)]
            assert got == [(p.word, p.flag) for p in ref_pos.cut(s, HMM=hmm)], (s, hmm)


def test_domain_words_reach_jieba_rs_with_jiebas_total():
    """The domain dictionary is in jieba-rs too, and the route's probabilities divide by the same total."""
    tok = tokenizer()
    for line in _domain_lines():
        assert tok.fast.has_word(line.split()[0]), line
    assert tok.fast.cut("新时代枫桥经验", False) == ["新时代枫桥经验"]
    # a frequency suggested for two common words is their product over the total: off by one without the pad
    ref, _ = _reference()
    for segment in ("的是", "的了"):
        assert tok.fast.suggest_freq(segment) == ref.suggest_freq(segment), segment


def _domain_lines() -> list[str]:
    from pipelines.text.segment import DOMAIN_DICTIONARY

    return [line for line in DOMAIN_DICTIONARY.read_text(encoding="utf-8").splitlines() if line.strip()]
