"""Chinese complaint text -> content terms and the shingles that MinHash compares.

jieba segments the text; function words, complaint boilerplate ("投诉", "希望尽快处理")
and punctuation are dropped because every complaint has them, so they would make
different matters look alike. Character bigrams are added to the words because a
paraphrase often shares characters but not segmentation (烧烤 / 烤串 share "烤").
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import jieba

from routing.hotspots.lexicon import CONCEPTS

# Words that say nothing about *which* matter: grammar, politeness, the complaint form.
_STOP_TEXT = """
    的 地 得 了 着 过 是 在 我 我们 我家 你 你们 他 她 它 他们 她们 咱们 大家 自己 有 和 与 及
    跟 同 也 都 就 还 又 再 才 很 太 挺 更 最 非常 特别 十分 实在 真的 真是 简直 一直 已经
    总是 老是 这 那 这个 那个 这些 那些 这里 那里 这边 那边 这儿 那儿 这种 那种 什么 怎么
    为什么 怎么办 没有 没 不 别 吧 吗 呢 啊 呀 哦 嘛 啦 哈 呐 了吧 被 把 给 让 对 从 到 向
    于 由 为 因为 所以 但是 但 而且 并且 如果 可是 还是 或者 一 一个 一些 一下 一点 有点
    有些 个 些 次 每次 每天 天天 经常 时常 常常 好几次 多次 很多 好多 许多 几 几个 多
    要 想 会 能 能够 可以 可能 应该 需要 希望 请 请求 恳请 麻烦 尽快 赶紧 马上 立即 及时
    投诉 反映 反应 举报 求助 报警 处理 解决 整治 管管 管一管 管理 查处 问题 情况 现象
    事情 事 严重 相关 有关 部门 领导 警察 民警 派出所 公安 同志 您好 你好 谢谢 感谢
    市民 居民 群众 本人 附近 周边 一带 地方 位置 时候 现在 目前 最近 近期 近来 一段时间
    影响 导致 造成 出现 发生 存在 进行 依然 仍然 还有 以及 等等 等 之类 其中 然后 后来
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_init_lock = threading.Lock()
_ready = False


def warm() -> None:
    """Load the dictionary now (start-up), not inside the first batch of complaints."""
    _ensure_jieba()


def _ensure_jieba() -> None:
    """Load jieba's dictionary once per process, on first use (about a second), not at import."""
    global _ready
    if _ready:
        return
    with _init_lock:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _ready = True


def _is_content(token: str) -> bool:
    if token in STOP_WORDS:
        return False
    return any(unicodedata.category(ch)[0] in "LN" for ch in token)


def segments(text: str) -> list[list[str]]:
    """Runs of consecutive content words; a stop word or punctuation ends a run."""
    _ensure_jieba()
    normal = unicodedata.normalize("NFKC", text).lower()
    runs: list[list[str]] = [[]]
    for token in jieba.lcut(normal, HMM=False):
        token = token.strip()
        if token and _is_content(token):
            runs[-1].append(token)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def terms(text: str) -> tuple[str, ...]:
    """Content words in text order, repeats kept (keywords count them once per text)."""
    return tuple(word for run in segments(text) for word in run)


def analyse(text: str) -> tuple[tuple[str, ...], set[str]]:
    """(terms, shingles) with one segmentation: jieba is most of the cost."""
    runs = segments(text)
    return tuple(word for run in runs for word in run), _shingles(runs, text)


_CONCEPT_OF = {form: concept for concept, forms in CONCEPTS.items() for form in forms}
# Longest forms first, so "空调外机" wins over "外机".
_CONCEPT_RE = re.compile("|".join(map(re.escape, sorted(_CONCEPT_OF, key=len, reverse=True))))
# A concept weighs as much as this many shingles (MinHash is unweighted: repeat it).
CONCEPT_WEIGHT = 16
# Concepts that many different matters share (when, "something was stolen"): they confirm
# but should not decide, so they weigh like one word.
GENERIC = frozenset({"night", "theft"})


def concepts(text: str) -> set[str]:
    normal = unicodedata.normalize("NFKC", text).lower()
    return {_CONCEPT_OF[m.group(0)] for m in _CONCEPT_RE.finditer(normal)}


def shingles(text: str) -> set[str]:
    """Words, character bigrams inside each run of content words, and the concepts named
    (tagged apart so a word never equals a bigram or a concept)."""
    return _shingles(segments(text), text)


def _shingles(runs: list[list[str]], text: str) -> set[str]:
    out: set[str] = set()
    for run in runs:
        out.update("w" + word for word in run)
        chars = "".join(run)
        out.update("b" + chars[i : i + 2] for i in range(len(chars) - 1))
    for concept in concepts(text):
        weight = 1 if concept in GENERIC else CONCEPT_WEIGHT
        out.update(f"c{concept}#{i}" for i in range(weight))
    return out
