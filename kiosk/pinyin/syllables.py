"""Pinyin syllables and how typed letters split into them.

Letters are a-z, lower case, ``v`` for ü (``lv`` 绿, ``nve`` 虐; ``lue``/``nue`` are read the
same). A split (a *parse*) is a tuple of ``Token``: a whole syllable (``zhang``), or a prefix
standing for any syllable that starts with it: an initial (``z``, ``zh``, ``w``, the
abbreviations ``zw`` → 张伟) anywhere, or the unfinished last syllable (``zhangwe``).
``parses`` gives the best splits first: fewer prefixes, then fewer tokens (``xian`` before
``xi'an``), so the first is what the keyboard shows (``zhang'w``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai
can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di
dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng
fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo ha
hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao
jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai
kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia lian liang liao lie lin ling liu
lo long lou lu luan lun luo lv lve ma mai man mang mao me mei men meng mi mian miao mie min ming
miu mo mou mu na nai nan nang nao ne nei nen neng ni nia nian niang niao nie nin ning niu nong nou
nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi
qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru
rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng
shi shou shu shua shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang
tao te tei teng ti tian tiao tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo
wong wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin
ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe
zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui
zun zuo
""".split())
ALIASES = {"lue": "lve", "nue": "nve"}  # how many people spell ü after l and n
INITIALS = frozenset("b p m f d t n l g k h j q x zh ch sh r z c s y w".split())
PREFIXES = frozenset(s[:i] for s in SYLLABLES for i in range(1, len(s) + 1))
LONGEST = max(len(s) for s in SYLLABLES)
BEST_PARSES = 6  # alternatives kept: enough for xian / xi'an, fang'an / fan'gan


@dataclass(frozen=True)
class Token:
    """Letters standing for one syllable: ``whole`` matches exactly, otherwise by prefix."""

    letters: str
    whole: bool

    @property
    def syllable(self) -> str:
        """The syllable as the lexicon spells it (``lue`` → ``lve``)."""
        return ALIASES.get(self.letters, self.letters)

    def matches(self, syllable: str) -> bool:
        return syllable == self.syllable if self.whole else syllable.startswith(self.letters)


Parse = tuple[Token, ...]


def _tokens_at(letters: str, start: int) -> list[Token]:
    """Every token that can begin at ``start``."""
    found = []
    end = len(letters)
    for stop in range(start + 1, min(end, start + LONGEST) + 1):
        piece = letters[start:stop]
        if piece in SYLLABLES or piece in ALIASES:
            found.append(Token(piece, True))
        elif piece in INITIALS or (stop == end and piece in PREFIXES):
            found.append(Token(piece, False))
    return found


def _score(parse: Parse) -> tuple[int, int]:
    return sum(not t.whole for t in parse), len(parse)


@lru_cache(maxsize=512)
def parses(letters: str) -> tuple[Parse, ...]:
    """The best ways to split ``letters`` into tokens, best first; empty if none does."""
    if not letters:
        return ()
    best: list[list[Parse]] = [[] for _ in range(len(letters) + 1)]
    best[0] = [()]
    for start in range(len(letters)):
        if not best[start]:
            continue
        for token in _tokens_at(letters, start):
            stop = start + len(token.letters)
            best[stop] = sorted(best[stop] + [p + (token,) for p in best[start]], key=_parse_key)[:BEST_PARSES]
    return tuple(best[len(letters)])


def _parse_key(parse: Parse) -> tuple[int, int, tuple[str, ...]]:
    return (*_score(parse), tuple(t.letters for t in parse))


def segment(letters: str) -> list[str]:
    """How ``letters`` split for display (``zhangw`` → ``['zhang', 'w']``); unsplittable
    letters stay one piece."""
    found = parses(letters)
    return [t.letters for t in found[0]] if found else ([letters] if letters else [])
