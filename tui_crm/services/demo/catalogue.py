"""Vehicle models sold around Jiaxing, with VIN prefixes, sizes and new-car prices, and the
compulsory-insurance (交强险) base premium of docs/reference.md for a vehicle of each kind."""

import numpy as np

# brand, make/model (厂牌型号), WMI+VDS (8 chars), group, seats, litres, fuel, price (yuan),
# rated load (t), weight (%) within its group
MODELS: list[tuple[str, str, str, str, int, float, str, int, float, int]] = [
    ("大众", "上汽大众朗逸 1.5L 自动", "LSVAA418", "car", 5, 1.5, "petrol", 119_900, 0, 12),
    ("大众", "一汽-大众速腾 1.4T", "LFV2A215", "car", 5, 1.4, "petrol", 149_900, 0, 7),
    ("大众", "上汽大众帕萨特 2.0T", "LSVCB43B", "car", 5, 2.0, "petrol", 219_900, 0, 4),
    ("丰田", "广汽丰田凯美瑞 2.0L", "LVGBE40K", "car", 5, 2.0, "petrol", 179_800, 0, 5),
    ("丰田", "一汽丰田卡罗拉 1.2T", "LFMAP86C", "car", 5, 1.2, "petrol", 119_800, 0, 5),
    ("本田", "东风本田思域 1.5T", "LVHFC165", "car", 5, 1.5, "petrol", 129_900, 0, 4),
    ("本田", "广汽本田雅阁 1.5T", "LHGCV165", "car", 5, 1.5, "petrol", 179_800, 0, 4),
    ("日产", "东风日产轩逸 1.6L", "LGBH52E0", "car", 5, 1.6, "petrol", 109_900, 0, 8),
    ("别克", "上汽通用别克英朗 1.5L", "LSGKB54H", "car", 5, 1.5, "petrol", 99_900, 0, 4),
    ("吉利", "吉利帝豪 1.5L", "L6T75Y4N", "car", 5, 1.5, "petrol", 72_900, 0, 5),
    ("吉利", "吉利星越L 2.0T", "L6T79F4E", "car", 5, 2.0, "petrol", 145_700, 0, 2),
    ("长安", "长安CS75 PLUS 1.5T", "LS5A3DKE", "car", 5, 1.5, "petrol", 109_900, 0, 4),
    ("哈弗", "长城哈弗H6 1.5T", "LGWEF4A5", "car", 5, 1.5, "petrol", 98_900, 0, 5),
    ("宝马", "华晨宝马3系 325Li", "LBV8V310", "car", 5, 2.0, "petrol", 349_900, 0, 2),
    ("奔驰", "北京奔驰C 260 L", "LE4ZG8DB", "car", 5, 1.5, "petrol", 339_900, 0, 2),
    ("奥迪", "一汽奥迪A4L 40 TFSI", "LFV3B28W", "car", 5, 2.0, "petrol", 321_800, 0, 2),
    ("别克", "上汽通用别克GL8 2.0T", "LSGUA83L", "mpv", 7, 2.0, "petrol", 239_900, 0, 2),
    ("比亚迪", "比亚迪秦PLUS DM-i", "LGXCE4CB", "car", 5, 1.5, "hybrid", 99_800, 0, 7),
    ("比亚迪", "比亚迪宋PLUS DM-i", "LGXC74C4", "car", 5, 1.5, "hybrid", 139_800, 0, 4),
    ("比亚迪", "比亚迪海豚 EV", "LGXFF4CD", "car", 5, 0.0, "electric", 99_800, 0, 3),
    ("特斯拉", "特斯拉Model Y", "LRWYGCEK", "car", 5, 0.0, "electric", 263_900, 0, 3),
    ("五菱", "上汽通用五菱宏光MINI EV", "LZWACAGA", "car", 4, 0.0, "electric", 32_800, 0, 3),
    ("理想", "理想L7 增程", "LW433B10", "car", 5, 1.5, "hybrid", 319_800, 0, 1),
    ("蔚来", "蔚来ES6", "LJ1EFAUU", "car", 5, 0.0, "electric", 338_000, 0, 1),
    ("零跑", "零跑C11 纯电", "LFZ63AL5", "car", 5, 0.0, "electric", 149_800, 0, 1),
    ("五菱", "五菱宏光S 1.5L", "LZWADAGA", "mpv", 7, 1.5, "petrol", 58_800, 0, 3),
    ("江铃", "江铃顺达 轻型货车", "LEFYECG2", "light_truck", 3, 2.8, "diesel", 118_000, 1.5, 40),
    ("福田", "福田奥铃 轻型货车", "LVBV4JBB", "light_truck", 3, 3.8, "diesel", 135_000, 4.0, 30),
    ("解放", "一汽解放J6P 牵引车", "LFWSRXRJ", "heavy_truck", 2, 11.0, "diesel", 398_000, 30.0, 15),
    ("东风", "东风天龙 载货车", "LGAX4C35", "heavy_truck", 2, 9.8, "diesel", 328_000, 18.0, 15),
    ("宇通", "宇通ZK6128 客车", "LZYTATE6", "coach", 49, 8.9, "diesel", 880_000, 0, 40),
    ("宇通", "宇通E10 纯电动公交", "LZYTBGE1", "bus", 36, 0.0, "electric", 1_150_000, 0, 60),
    ("豪爵", "豪爵铃木 UY125", "LC6PCJG9", "motorcycle", 2, 0.125, "petrol", 7_980, 0, 60),
    ("雅马哈", "雅马哈 巧格i 125", "LAPJE11E", "motorcycle", 2, 0.125, "petrol", 8_980, 0, 40),
    ("徐工", "徐工 XCT25 汽车起重机", "LXGCPA32", "special", 2, 9.7, "diesel", 1_260_000, 0, 100),
]  # fmt: skip

GROUP_CODES = {
    g: i for i, g in enumerate(
        ["car", "mpv", "light_truck", "heavy_truck", "coach", "bus", "motorcycle", "special"]
    )
}  # fmt: skip
MODEL_GROUP = np.array([GROUP_CODES[m[3]] for m in MODELS])
MODEL_WEIGHT = np.array([m[9] for m in MODELS], dtype=float)
MODEL_NEV = np.array([m[6] in ("electric", "hybrid") for m in MODELS])


def models_of(groups: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Model indices of the given groups and their probabilities."""
    codes = [GROUP_CODES[g] for g in groups]
    index = np.flatnonzero(np.isin(MODEL_GROUP, codes))
    weight = MODEL_WEIGHT[index]
    return index, weight / weight.sum()


def ctpl_base_yuan(use: str, seats: int, tonnage: float, litres: float) -> int:
    """The 交强险 base premium (docs/reference.md) for one vehicle."""
    if use == "family":
        return 950 if seats < 6 else 1100
    if use in ("enterprise", "government"):
        bands = [1000, 1130, 1220, 1270] if use == "enterprise" else [950, 1070, 1140, 1320]
        return bands[0 if seats < 6 else 1 if seats < 10 else 2 if seats < 20 else 3]
    if use == "taxi":
        return [1800, 2360, 2400, 2560, 3530][
            0 if seats < 6 else 1 if seats < 10 else 2 if seats < 20 else 3 if seats < 36 else 4
        ]
    if use in ("bus", "coach"):
        table = [2250, 2520, 3020, 3140] if use == "bus" else [2350, 2620, 3420, 4690]
        return table[0 if seats < 10 else 1 if seats < 20 else 2 if seats < 36 else 3]
    if use in ("truck", "business_truck"):
        table = [1200, 1470, 1650, 2220] if use == "truck" else [1850, 3070, 3450, 4480]
        return table[0 if tonnage < 2 else 1 if tonnage < 5 else 2 if tonnage < 10 else 3]
    if use == "motorcycle":
        return 80 if litres <= 0.05 else 120 if litres <= 0.25 else 400
    if use == "special":
        return 2430
    return 950
