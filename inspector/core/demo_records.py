"""Demo records: realistic townships, villages, inspections and findings.

Deterministic for a given seed and "today". ``--villages 300 --years 5`` is
county scale: about 6,000 inspections of ~40 answers and 30,000 findings.
Only records are made here; ``write_demo`` hands them to a writer it is
given (the wiring passes storage's bulk writer: inspector/wiring.py).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Callable, Iterator

from ..catalog.loader import load_catalog
from ..catalog.model import CheckItem, Checklist
from . import ids
from .records import Answer, Event, Finding, Inspection, Village
from .repository import DatabaseWriter, VillageLedger

DEMO_DEVICE = "demo"  # the device the demo's events were "recorded" on

TOWNSHIPS = [
    "金鸡镇", "龙溪街道", "石船镇", "统景镇", "大湾镇", "兴隆镇", "木耳镇", "茨竹镇", "古路镇", "洛碛镇",
    "玉峰山镇", "双凤桥街道", "王家街道", "大盛镇", "悦来街道", "龙兴镇",
]
SYLLABLES = "石堰桥龙凤河坝山湾林花水松柏竹新华兴和平安乐丰景金银玉青云溪塘岩田家庙沟岭坪槐桂梅"
UNITS = [
    "镇综治办", "镇民政办", "镇党政办", "镇社事办", "镇经发办", "镇财政所", "镇应急办", "区民政局",
    "区城市管理局", "区应急管理局", "区市场监管局", "区卫生健康委", "区农业农村委", "派出所", "村委会",
]
INSPECTORS = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳"]
KINDS = ["routine", "routine", "random", "unannounced", "complaint", "followup"]
TITLES = {
    "signboards": ["村委会办公楼悬挂{unit}工作牌子，无规定依据", "村便民服务中心设立{unit}对口办公室并挂牌", "上墙制度未按规范统一"],
    "ledgers": ["{unit}要求村单独建立台账，与统一台账重复", "{unit}报表每周报送，频次超出规定", "同一数据向多个部门重复填报"],
    "tasks": ["{unit}将负面清单事项交村办理", "{unit}未经准入向村布置工作，无批准文书", "协助事项未做到费随事转，{unit}未拨付经费"],
    "services": ["购买服务未签订合同，{unit}以目标考核评价村工作", "购买服务经费未到位", "向村购买需执法资格的服务"],
    "certificates": ["村委会仍出具不应出具的证明（{cert}）", "未在村务公开栏公示可出具证明清单"],
    "apps": ["{unit}要求村干部使用单独的APP重复采集数据", "新建业务系统在村增设终端"],
    "evaluations": ["{unit}组织的评比要求村提供材料", "本年度迎检次数超出规定"],
}
CERTS = ["亲属关系证明", "无犯罪记录证明", "居住证明", "婚姻状况证明", "收入证明", "房屋产权证明"]
MEASURES = {
    "signboards": "撤除相关牌子并报镇备案",
    "ledgers": "整合台账，统一报送渠道",
    "tasks": "收回违规交办事项，由责任部门自行办理",
    "services": "补签购买服务合同，按合同评价",
    "certificates": "停止出具并告知群众替代办理方式",
    "apps": "停用重复终端，数据一次采集共享",
    "evaluations": "取消未经批准的评比，不再要求村报送材料",
}
# A title whose theme's measure would be wrong: work that needs enforcement powers may not be
# bought from a village at all, so no contract can make it right.
MEASURE_OF_TITLE = {"向村购买需执法资格的服务": "停止向村购买，由部门依法自行履行"}


class _Names:
    """Unique village names at any size, each drawn in a bounded number of tries.

    Two syllables (石桥村) while fewer than half of them are taken, then three
    (石桥湾村), then four: drawing at random from a pool that is nearly used up
    slows down without end (and, once it is used up, never returns). The first
    names are drawn exactly as before, so county-scale demos keep their data.
    """

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.taken: dict[tuple[str, int], int] = {}  # (suffix, syllables) -> names drawn

    def draw(self, rng: random.Random, suffix: str) -> str:
        length = 2
        while self.taken.get((suffix, length), 0) * 2 >= len(SYLLABLES) * (len(SYLLABLES) - 1) ** (length - 1):
            length += 1
        while True:
            chars = [rng.choice(SYLLABLES) for _ in range(length)]
            name = "".join(chars) + suffix
            if name not in self.used and all(a != b for a, b in zip(chars, chars[1:])):
                self.used.add(name)
                self.taken[suffix, length] = self.taken.get((suffix, length), 0) + 1
                return name


def _answer(rng: random.Random, item: CheckItem, failing: bool) -> dict:
    if item.answer == "yes_no":
        good = "yes" if item.fail_on == "no" else "no"
        bad = item.fail_on
        value = bad if failing else (good if rng.random() > 0.06 else "na")
        return {"value": value}
    if item.answer == "count":
        allowed = item.allowed if item.allowed is not None else rng.randint(2, 6)
        found = allowed + rng.randint(1, 4) if failing else rng.randint(0, allowed)
        return {"value": "count", "found": found, "allowed": allowed}
    return {"value": "list"}


def _one_basis(item: CheckItem, n: int) -> list[str]:
    """A finding cites the one list item that applies, not every item the check rests on.

    Picked by the finding's position, so the demo's random draws (and so its data) stay as they were.
    """
    return [item.basis_items[n % len(item.basis_items)]] if item.basis_items else []


def _finding_events(rng: random.Random, fid: str, found_on: date, deadline: date, unit: str, today: date, by: str
                    ) -> list[Event]:
    """A plausible history, valid under the workflow, none dated after today."""
    events: list[Event] = []

    def add(kind: str, on: date, **payload) -> bool:
        if on > today:
            return False
        at = f"{on.isoformat()}T{9 + len(events) % 8:02d}:{rng.randint(0, 59):02d}:00"
        at = max([at, *(e.at for e in events)])  # a history's times never go back (core.records.Event)
        fields = {"by": by, **payload}
        ev = Event(id=ids.derived_id(datetime.fromisoformat(at), fid, len(events)), finding=fid, type=kind, on=on,
                   at=at, device=DEMO_DEVICE, counter=len(events) + 1, **fields)
        events.append(ev)
        return True

    add("found", found_on, deadline=deadline, unit=unit, person="")
    day = found_on + timedelta(days=rng.randint(0, 3))
    if not add("assign", day, unit=unit, person=rng.choice(INSPECTORS)):
        return events
    fate = rng.random()
    if rng.random() < 0.15:
        day += timedelta(days=rng.randint(3, 10))
        new = deadline + timedelta(days=rng.choice([10, 15, 30]))
        if add("extend", day, deadline=new, note="整改涉及多个部门，需协调时间"):
            deadline = new
    for _ in range(rng.randint(0, 2)):
        day += timedelta(days=rng.randint(2, 12))
        if not add("progress", day, note="已部分整改，正在推进"):
            return events
    # Older findings are mostly closed; recent ones are still open, some overdue.
    if fate < 0.8 or (today - found_on).days > 200:
        day += timedelta(days=rng.randint(1, 20))
        if not add("report", day, note="已完成整改", evidence=("整改照片.jpg",)):
            return events
        day += timedelta(days=rng.randint(1, 7))
        if not add("verify", day, by=rng.choice(INSPECTORS)):
            return events
        day += timedelta(days=rng.randint(0, 3))
        add("close", day)
    elif today > deadline and rng.random() < 0.5:
        add("escalate", max(day, deadline) + timedelta(days=rng.randint(1, 5)), level="reminder", note="请按期整改")
    return events


Ledger = VillageLedger


def generate(villages: int, years: int, seed: int, today: date, checklist: Checklist
             ) -> tuple[list[Village], Callable[[], Iterator[tuple[str, Ledger]]]]:
    """The villages, and a generator of each village's ledger (one in memory at a time)."""
    rng = random.Random(seed)
    township_count = max(1, min(len(TOWNSHIPS), (villages + 4) // 5))
    townships = TOWNSHIPS[:township_count]
    names = _Names()
    village_docs: list[Village] = []
    for n in range(1, villages + 1):
        kind = "community" if rng.random() < 0.2 else "village"
        name = names.draw(rng, "社区" if kind == "community" else "村")
        village_docs.append(Village(
            id=ids.derived_id(None, "demo", seed, n), name=name, township=townships[(n - 1) % township_count], kind=kind,
            county="渝北区", contact=rng.choice(INSPECTORS[::-1]), phone=f"138{rng.randint(10000000, 99999999)}",
        ))
    items = checklist.items
    per_year = 4

    def ledgers():
        for n, v in enumerate(village_docs, 1):
            # Seeded by the village's place, as when ids were "V0001": the same demo as before for a seed.
            vr = random.Random(f"{seed}-V{n:04d}")
            tables = VillageLedger()
            count = years * per_year
            for k in range(count):
                # Evenly spread over the years, the newest a few days ago (its findings still open).
                day = today - timedelta(days=int((count - 1 - k) * 365 * years / count) + vr.randint(1, 20))
                iid = ids.derived_id(datetime.combine(day, time(9)), v.id, "I", k, offset_ms=k)
                draft = k == count - 1 and vr.random() < 0.1
                tables.inspections.append(Inspection(
                    id=iid, village=v.id, date=day, kind=vr.choice(KINDS), inspectors=tuple(vr.sample(INSPECTORS, 2)),
                    template=checklist.id, template_version=checklist.version, state="draft" if draft else "completed",
                    created_at=f"{day.isoformat()}T09:00:00",
                ))
                failing = set(vr.sample(range(len(items)), k=min(len(items), 5)))
                for idx, item in enumerate(items):
                    ans = _answer(vr, item, idx in failing)
                    tables.answers.append(Answer(inspection=iid, item=item.id, **ans,
                                                 at=f"{day.isoformat()}T10:{idx % 60:02d}:00"))
                if draft:
                    continue
                for idx in sorted(failing):
                    item = items[idx]
                    fid = ids.derived_id(datetime.combine(day, time(11)), v.id, "F", len(tables.findings),
                                         offset_ms=len(tables.findings))
                    unit = vr.choice(UNITS)
                    title = vr.choice(TITLES.get(item.theme, ["{unit}问题"])).format(unit=unit, cert=vr.choice(CERTS))
                    period = int(item.period.rstrip("wd")) * (1.4 if item.period.endswith("wd") else 1)
                    deadline = day + timedelta(days=int(period))
                    tables.findings.append(Finding(
                        id=fid, village=v.id, inspection=iid, item=item.id, theme=item.theme, title=title,
                        description=title, basis=tuple(_one_basis(item, len(tables.findings))), severity=item.severity,
                        unit=unit, measure=MEASURE_OF_TITLE.get(title, MEASURES.get(item.theme, "")),
                        created_at=f"{day.isoformat()}T11:00:00",
                    ))
                    tables.events.extend(_finding_events(vr, fid, day, deadline, unit, today, tables.inspections[-1].inspectors[0]))
            yield v.id, tables

    return village_docs, ledgers


def write_demo(write: DatabaseWriter, root: Path, *, villages: int, years: int, seed: int, today: date,
               catalog_dir: Path | None = None) -> dict[str, int]:
    """Generate a demo and hand it to ``write`` at ``root``; the counts of what was written."""
    catalog, _ = load_catalog(catalog_dir)
    checklist = catalog.checklist_for(catalog.default.id)
    if checklist is None:
        raise ValueError("the default list set has no checklist")
    village_docs, ledgers = generate(villages, years, seed, today, checklist)
    stats = {"villages": 0, "inspections": 0, "findings": 0}

    def counted() -> Iterator[tuple[str, Ledger]]:
        for vid, tables in ledgers():
            stats["villages"] += 1
            stats["inspections"] += len(tables.inspections)
            stats["findings"] += len(tables.findings)
            yield vid, tables

    write(Path(root), village_docs, counted())
    return stats


__all__ = ["generate", "write_demo"]
