"""Word pools for the demo book: surnames by frequency, given names, company and road names.

Surname shares follow the national ranking (王, 李, 张 about 7% each) with the names
common in northern Zhejiang (沈, 钱, 陆, 顾, 褚...) a little heavier, as in Jiaxing.
Every pool carries its pinyin from `text.name_pinyin` so the bulk generator can join
pieces instead of converting a million names one by one.
"""

from functools import lru_cache

import numpy as np

from tui_crm.services.core.text import name_pinyin, surname_pinyin

# (surname, share per mille)
SURNAMES: list[tuple[str, float]] = [
    ("王", 71), ("李", 70), ("张", 66), ("刘", 54), ("陈", 53), ("杨", 31), ("黄", 22),
    ("赵", 21), ("吴", 21), ("周", 21), ("徐", 19), ("孙", 15), ("沈", 14), ("朱", 14),
    ("胡", 13), ("马", 12), ("郭", 11), ("何", 11), ("高", 10), ("林", 10), ("钱", 9),
    ("陆", 9), ("顾", 8), ("罗", 8), ("郑", 8), ("梁", 7), ("谢", 7), ("宋", 7), ("唐", 7),
    ("许", 7), ("韩", 6), ("冯", 6), ("邓", 6), ("曹", 6), ("彭", 5), ("曾", 5), ("肖", 5),
    ("田", 5), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5),
    ("杜", 4), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4),
    ("姚", 4), ("卢", 4), ("姜", 4), ("崔", 3), ("钟", 3), ("谭", 3), ("金", 4), ("范", 3),
    ("汪", 3), ("方", 3), ("俞", 3), ("褚", 2), ("戴", 3), ("夏", 3), ("邱", 3), ("贾", 3),
    ("邵", 3), ("孟", 2), ("秦", 2), ("严", 2), ("汤", 2), ("傅", 2), ("毛", 2), ("施", 2),
    ("倪", 2), ("费", 1), ("屠", 1), ("虞", 1), ("盛", 1), ("缪", 1), ("柏", 1), ("濮", 1),
    ("欧阳", 0.6), ("司马", 0.2), ("诸葛", 0.1), ("上官", 0.1), ("东方", 0.1),
]  # fmt: skip

GIVEN_MALE = list(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国峰亮成志海东文"
    "斌晨博豪杭锋昊嘉铭子轩睿哲翔彬坤良荣兵德新春生忠祥瑞胜永"
)
GIVEN_FEMALE = list(
    "芳娜敏静丽艳娟霞秀燕玲桂丹萍红玉兰英梅琳洁倩颖雪慧婷琴云莉蓉佳怡欣悦雯雅晶菲"
    "璐瑶蕾薇妍琪露媛岚婉蓓珍凤莹月彤萱馨"
)
GIVEN_ANY = list("文佳嘉子宇思雨晓一俊明春海建永志晨欣")

ROADS = [
    "中山路",
    "建国路",
    "禾兴路",
    "勤俭路",
    "解放路",
    "南湖大道",
    "秀洲大道",
    "洪兴路",
    "由拳路",
    "中环南路",
    "亚太路",
    "昌盛路",
    "文昌路",
    "人民大道",
    "三环东路",
    "环城北路",
    "花园路",
    "新华路",
    "庆丰路",
    "长水路",
    "凌公塘路",
    "槜李路",
    "城南路",
    "紫阳街",
    "梅湾街",
    "东升路",
    "嘉杭路",
    "平湖大道",
    "海宁路",
    "文华路",
]
ESTATES = [
    "阳光花园",
    "南湖人家",
    "禾兴苑",
    "香樟苑",
    "梅园小区",
    "景湖苑",
    "绿洲新村",
    "嘉和城",
    "湖滨花园",
    "紫金苑",
    "凤凰城",
    "万象公寓",
    "锦绣江南",
    "金色家园",
    "水岸名都",
    "东方明珠苑",
]

# Company names: 嘉兴市南湖区 + brand + industry word + suffix.
BRAND_WORDS = [
    "华泰",
    "恒力",
    "金禾",
    "天成",
    "永兴",
    "嘉兴",
    "宏达",
    "鑫源",
    "瑞丰",
    "联创",
    "顺发",
    "东方",
    "新时代",
    "博远",
    "海盛",
    "三禾",
    "鸿运",
    "富春",
    "万通",
    "安泰",
    "星河",
    "佳力",
    "盛世",
    "明辉",
    "长城",
    "恒信",
    "和润",
    "宝丰",
    "欣荣",
    "汇通",
    "锦程",
    "立新",
    "振华",
    "四通",
    "中环",
    "旭日",
    "正泰",
    "同创",
    "君安",
    "远航",
    "信达",
    "天宇",
    "华盛",
    "嘉诚",
    "致远",
    "凯越",
]
# (word, industry code shown to staff, ownership mix bias, size factor)
INDUSTRIES: list[tuple[str, str, float]] = [
    ("贸易", "批发零售", 0.8), ("纺织", "纺织服装", 1.4), ("服饰", "纺织服装", 1.0),
    ("化纤", "化纤", 2.5), ("机械", "机械制造", 1.6), ("电子", "电子", 1.5),
    ("建材", "建筑建材", 1.2), ("物流", "交通运输", 1.8), ("运输", "交通运输", 1.8),
    ("食品", "食品", 1.1), ("皮革", "皮革制品", 1.0), ("家具", "家具", 1.0),
    ("五金", "五金", 0.8), ("新材料", "新材料", 2.0), ("光伏科技", "新能源", 2.2),
    ("汽车销售服务", "汽车销售", 1.2), ("建设工程", "建筑建材", 2.0), ("房地产开发", "房地产", 3.0),
    ("餐饮管理", "餐饮住宿", 0.6), ("塑业", "塑料制品", 1.1), ("印染", "纺织服装", 1.5),
    ("包装", "包装印刷", 0.9), ("羊毛衫", "纺织服装", 0.8), ("电器", "电气", 1.4),
]  # fmt: skip
COMPANY_SUFFIXES = [("有限公司", 80), ("股份有限公司", 8), ("有限责任公司", 10), ("厂", 2)]
OWNERSHIP = [("private", 78), ("state", 6), ("foreign", 7), ("collective", 3), ("joint", 6)]

GOVERNMENT_BODIES = [
    "公安局",
    "交通运输局",
    "市场监督管理局",
    "教育局",
    "卫生健康局",
    "自然资源和规划局",
    "水利局",
    "住房和城乡建设局",
    "农业农村局",
    "应急管理局",
    "人民医院",
    "中医医院",
    "实验小学",
    "第一中学",
    "城市管理局",
    "生态环境局",
    "税务局",
    "人民法院",
    "人民检察院",
    "供电公司",
]

CLAIM_CAUSES = [
    ("collision", 62), ("scratch", 12), ("glass", 8), ("flood", 4), ("theft", 1),
    ("fire", 1), ("injury", 8), ("other", 4),
]  # fmt: skip

TYPHOONS = [
    # name, kind, start, end, warned
    ('台风"烟花"', "typhoon", "2021-07-25", "2021-07-28", "2021-07-22"),
    ('台风"梅花"', "typhoon", "2022-09-14", "2022-09-15", "2022-09-12"),
    ('台风"杜苏芮"暴雨', "flood", "2023-07-29", "2023-07-31", "2023-07-27"),
    ('台风"贝碧嘉"', "typhoon", "2024-09-16", "2024-09-17", "2024-09-14"),
    ('台风"普拉桑"', "typhoon", "2024-09-19", "2024-09-20", "2024-09-17"),
    ('台风"竹节草"', "typhoon", "2025-07-30", "2025-08-01", "2025-07-28"),
    ("梅雨期暴雨", "flood", "2026-06-20", "2026-06-24", "2026-06-18"),
]


def pinyin_pool(
    words: list[str], *, surnames: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Words, their full pinyin and initials as object arrays (for vectorised joins);
    surnames take their surname reading (曾 zeng)."""
    reading = surname_pinyin if surnames else name_pinyin
    full, initials = zip(*(reading(w) for w in words), strict=True)
    return (
        np.array(words, dtype=object),
        np.array(full, dtype=object),
        np.array(initials, dtype=object),
    )


@lru_cache(maxsize=1)
def surname_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    names = [s for s, _ in SURNAMES]
    weights = np.array([w for _, w in SURNAMES], dtype=float)
    return (*pinyin_pool(names, surnames=True), weights / weights.sum())


def person_names(
    rng: np.random.Generator, male: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Names, pinyin and initials for people of the given sexes: 2–3 characters mostly."""
    n = len(male)
    s_word, s_full, s_init, s_p = surname_table()
    surname = rng.choice(len(s_word), size=n, p=s_p)
    out = [s_word[surname], s_full[surname], s_init[surname]]
    pools = {True: pinyin_pool(GIVEN_MALE), False: pinyin_pool(GIVEN_FEMALE)}
    shared = pinyin_pool(GIVEN_ANY)
    two_chars = rng.random(n) < 0.7
    opens_shared = two_chars & (rng.random(n) < 0.25)  # 文, 佳, 嘉... then a gendered one

    def append(mask: np.ndarray, pool: tuple[np.ndarray, ...]) -> None:
        pick = rng.integers(0, len(pool[0]), size=n)[mask]
        for column, words in zip(out, pool, strict=True):
            column[mask] = column[mask] + words[pick]

    for sex, pool in pools.items():
        mine = male == sex
        append(mine & ~opens_shared, pool)
        append(mine & opens_shared, shared)
        append(mine & two_chars, pool)
    return out[0], out[1], out[2]
