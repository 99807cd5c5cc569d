"""Benchmark hot-issue ranking on generated messages: time, peak memory, grouping purity (python bench/bench_hot.py N).

`python bench/bench_hot.py --sweeps WINDOW NEW [ROUNDS]`: the cost of one `minyi watch` sweep over a window of
WINDOW messages of which NEW arrived since the last sweep, incremental (readings kept, only the new compared)
beside the full regrouping of the window in the same run, and how many new messages got the same matter both ways.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from minyi.insight.cluster import group_messages
from minyi.insight.hot import rank_hot_issues
from minyi.insight.model import Message

CHARS = "安宝碧博昌辰春翠达德东芳丰福富港广海和恒宏华辉汇佳嘉建金锦景静俊凯康兰蓝朗丽利林龙隆茂梅美明南宁鹏平青清庆荣瑞润森山盛胜世书顺松泰天田铁通万旺威伟文祥翔新鑫星兴秀雅阳怡逸银英永裕远悦云泽湛正志中洲卓紫"
SUFFIX = ["小区", "花园", "家园", "村", "路", "学校", "新城", "苑"]
PROBLEMS = [
    ("停车难", "小区车位严重不足，车辆乱停乱放，消防通道被占用"),
    ("垃圾堆积无人清理", "垃圾长期堆放，夏天臭气熏天，蚊蝇滋生"),
    ("夜间施工噪音扰民", "工地每天施工到凌晨，噪音巨大，居民无法休息"),
    ("物业乱收费", "物业公司未经业主同意擅自上涨物业费并收取停车费"),
    ("经常停水", "最近一个月停水五次，没有提前通知，生活非常不便"),
    ("道路破损", "路面坑坑洼洼，下雨积水，行人和车辆通行困难"),
    ("油烟扰民", "楼下餐馆油烟直排，窗户都不敢开"),
    ("拖欠工资", "公司拖欠员工工资半年，多次讨要无果"),
    ("学位不足", "小区配套学校迟迟不开学，孩子上学要跑很远"),
    ("违章搭建", "有业主在楼顶和绿化带违章搭建，影响安全"),
    ("路灯不亮", "路灯坏了几个月没人修，晚上出行很危险"),
    ("电梯故障", "电梯经常停运，老人上下楼非常困难"),
]
TEMPLATES = ["{d}{p}{q}", "投诉{d}{p}{q}", "关于{d}{p}{q}的问题", "{p}{q}，请相关部门管一管", "反映{d}{p}{q}"]


def generate(n: int, seed: int = 7) -> tuple[list[Message], list[int]]:
    """n messages about about n/4 matters (place × problem), Zipf-sized, over two years."""
    rnd = random.Random(seed)
    n_matters = max(n // 4, 1)
    matters = []
    for _ in range(n_matters):
        name = "".join(rnd.choice(CHARS) for _ in range(rnd.choice((2, 3, 3, 4)))) + rnd.choice(SUFFIX)
        matters.append((f"A{rnd.randint(1, 9)}区", name, rnd.randrange(len(PROBLEMS))))
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_matters)]
    start = datetime(2018, 1, 1, tzinfo=UTC)
    chosen = rnd.choices(range(n_matters), weights=weights, k=n)
    out = []
    for i, k in enumerate(chosen):
        d, place, q = matters[k]
        problem, detail = PROBLEMS[q]
        title = rnd.choice(TEMPLATES).format(d=d, p=place, q=problem)
        text = f"我是A市{d}{place}的居民，{detail}。希望政府相关部门尽快调查处理，还我们一个安宁的生活环境。编号{i % 997}。"
        when = start + timedelta(seconds=rnd.randrange(730 * 86400))
        out.append(
            Message(str(i), f"U{rnd.randrange(n)}", title, text, when, likes=int(rnd.expovariate(1.0)))
        )
    return out, chosen


def sweeps(window: int, new: int, rounds: int = 3) -> None:
    """Time incremental sweeps against full regroupings of the same window, and compare their matters."""
    from minyi.insight import features
    from minyi.insight.matters import shared_grouping

    msgs, _ = generate(window + new * rounds)
    msgs.sort(key=lambda m: m.time)
    _, stored = shared_grouping(msgs[:window], {})  # the first sweep reads and groups the whole window
    for r in range(rounds):
        batch = msgs[new * (r + 1) : window + new * (r + 1)]  # the window slides by `new` messages
        t0 = time.process_time()
        _, inc = shared_grouping(batch, stored)
        t1 = time.process_time()
        features.forget()  # the reference: a fresh process regrouping the whole window, as before
        _, full = shared_grouping(batch, stored, incremental=False)
        t2 = time.process_time()
        fresh = [m.id for m in batch if m.id not in stored]
        same = sum(inc[i] == full[i] for i in fresh)
        print(
            f"round={r + 1} window={len(batch)} new={len(fresh)} incremental_cpu_s={t1 - t0:.2f} "
            f"full_cpu_s={t2 - t1:.2f} speedup={(t2 - t1) / max(t1 - t0, 1e-9):.1f}x "
            f"same_matter={same}/{len(fresh)}"
        )
        stored = {m.id: inc[m.id] for m in batch}


def main() -> None:
    """Generate, rank, print figures."""
    if len(sys.argv) > 1 and sys.argv[1] == "--sweeps":
        sweeps(*(int(a) for a in sys.argv[2:5]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    msgs, truth = generate(n)
    t1 = time.perf_counter()
    grouping = group_messages(msgs)
    t2 = time.perf_counter()
    issues = rank_hot_issues(msgs, top=20, grouping=grouping)
    t3 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"messages={n} generate_s={t1 - t0:.1f} group_s={t2 - t1:.1f} rank_s={t3 - t2:.1f} "
        f"total_s={t3 - t1:.1f} peak_rss_mb={peak_mb:.0f}"
    )
    for h in issues[:5]:
        print(h.rank, round(h.score, 3), h.count, h.place, h.description)
    print(purity(grouping.labels.tolist(), truth))


def purity(labels: list[int], truth: list[int]) -> str:
    """Pairwise precision and recall of the grouping against the generated matters."""
    from collections import Counter

    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    both = pairs(Counter(zip(labels, truth, strict=True)))
    precision = both / max(pairs(Counter(labels)), 1)
    recall = both / max(pairs(Counter(truth)), 1)
    return f"pair_precision={precision:.3f} pair_recall={recall:.3f} groups={len(set(labels))} matters={len(set(truth))}"


if __name__ == "__main__":
    main()
