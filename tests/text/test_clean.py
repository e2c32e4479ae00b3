"""The clean stage's own decisions: which metadata wins when the page's markup and the text disagree."""

from __future__ import annotations

from pathlib import Path

from pipelines.text.clean import clean_article
from pipelines.text.read import read_article

PAGE = """<html><head><meta charset="utf-8"><title>城关派出所探索基层治理新路径_平安网</title>
<meta property="og:title" content="城关派出所探索基层治理新路径"></head>
<body><div class="nav">首页 > 警务动态</div>
<h1>城关派出所探索基层治理新路径</h1><div class="info">2024-05-06 来源：平安网</div>
<div class="article">
<p>让“枫桥经验”落地生根</p>
<p>今年以来，城关派出所坚持和发展新时代“枫桥经验”，组建由民警、网格员和调解员组成的联调队伍，
深入村居排查矛盾纠纷，共化解各类矛盾纠纷126起，调解成功率达98%，辖区警情同比下降15%。</p>
<p>派出所还在每个社区设立警务室，民警每周驻点两天，听取群众意见，解决群众急难愁盼问题。</p>
</div><div class="footer">版权所有 平安网</div></body></html>
"""


def test_the_pages_own_headline_beats_a_body_line_that_looks_like_one(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    clean = clean_article(read_article(path))
    assert clean.meta.title == "城关派出所探索基层治理新路径"


def test_the_pages_source_field_beats_a_publisher_the_body_only_hints_at(tmp_path: Path) -> None:
    page = PAGE.replace("2024-05-06 来源：平安网", "2024年04月18日 17:03 来源：中国新闻网").replace(
        "<p>今年以来，", "<p>中新网西藏阿里4月18日电 (李林)今年以来，"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert clean_article(read_article(path)).meta.publisher == "中国新闻网"
