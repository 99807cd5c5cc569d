"""Generate a synthetic hotline export (CSV) of N rows for the import benchmark: `python bench/gen_hotline.py N OUT`.

A fifth of the rows are misconduct reports (举报), which the import makes sealed reports; `--cases-only` (a
third argument) leaves them out, for measuring the path of the cases alone.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import datetime, timedelta

TEXTS = [
    "小区电梯频繁故障，老人上下楼困难，请督促物业维修。", "工地夜间施工噪音扰民，请依法查处。",
    "道路破损积水，行人车辆通行困难。", "餐馆油烟直排，影响楼上住户。", "公司拖欠工资三个月，请劳动监察处理。",
    "学校违规收取补课费。", "公交站没有候车亭，雨天淋雨。", "社区医院排队时间过长，希望增加医生。",
]  # fmt: skip
KINDS = ["投诉", "咨询", "求助", "建议", "举报"]
REGIONS = ["东湖区", "西山区", "南桥区", "北苑区", "青溪县", ""]


def main(n: int, out: str, seed: int = 7, kinds: list[str] = KINDS) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "工单编号",
                "来电时间",
                "来电人",
                "来电号码",
                "诉求内容",
                "诉求类型",
                "所属区域",
                "答复内容",
                "答复时间",
            ]
        )
        for i in range(n):
            t = start + timedelta(seconds=rng.randint(0, 600 * 86400))
            replied = rng.random() < 0.4
            w.writerow([
                f"GD{i:09d}", t.strftime("%Y/%m/%d %H:%M:%S"), rng.choice("王李张刘陈") + "先生",
                f"139{rng.randint(10000000, 99999999)}", f"{rng.choice(TEXTS)}（第{i}号）", rng.choice(kinds),
                rng.choice(REGIONS), "已处理，谢谢反映。" if replied else "",
                (t + timedelta(days=3)).strftime("%Y/%m/%d %H:%M:%S") if replied else "",
            ])  # fmt: skip


if __name__ == "__main__":
    cases_only = sys.argv[3:] == ["--cases-only"]
    main(int(sys.argv[1]), sys.argv[2], kinds=[k for k in KINDS if k != "举报"] if cases_only else KINDS)
