"""supervision-plan.docx (監督計画): the plan's entries (``itaku.plan``) as rows with their 根拠, the
department's self-check, and the items the department checks itself."""
from __future__ import annotations

from datetime import date

from itaku import timing, volumes
from itaku.checklists import department_items
from itaku.conditions import evaluate
from itaku.document import Document, Heading, Paragraph, Table
from itaku.header import job_document, title_blocks
from itaku.job import Job, Place  # Place: the type of job.places
from itaku.plan import REMOTE_SLOTS, PlanEntry, onsite_triggers
from itaku.text import fill
from itaku.wareki import wareki
from itaku.wording import quoted, reword


ONSITE_PLACE = {"sub-onsite": "再委託先の作業場所"}
FIELD = "作業場所の外の現場（従事者への同行）"


def listed(names: list[str]) -> str:
    """「A、B及びC」: names joined as a list in a Japanese sentence."""
    return "、".join(names[:-1]) + "及び" + names[-1] if len(names) > 1 else names[0]


def own_place(job: Job, e: PlanEntry) -> Place | None:
    """The place of dated work done away from the main work place (work_events.place), else None."""
    return next((p for p in job.places if p.id == e.place), None) if e.place else None


def venue_notes(job: Job, e: PlanEntry) -> str:
    """What the user noted on the dated work of a visit to a place of its own (work_events.note, e.g. the venue
    「市民センター」), quoted after the place: the kind of place alone does not say which hall to go to."""
    notes = dict.fromkeys(ev.note for ev in timing.events(job.context)
                          if ev.day == e.earliest and ev.place == e.place and ev.note)
    return "".join(quoted(n) for n in notes)


def where(job: Job, e: PlanEntry) -> str:
    """The one place an on-site check goes to (clauses/places.yml), never a list of all places: the
    contractor's premises when there are some (its measures are kept there), else the authority's, else
    the workers are accompanied (訪問先, 車両); a remote site or a subcontractor names its own."""
    kind = e.key[0]
    if kind in ONSITE_PLACE:
        return ONSITE_PLACE[kind]
    if kind == "remote":
        sites = job.context.get("remote_sites") or []
        n = e.key[1] % REMOTE_SLOTS
        return quoted(sites[n]["place"]) if n < len(sites) else "遠隔接続の接続元"
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    own = own_place(job, e)
    if own is not None:
        return r(own.label) + venue_notes(job, e)
    if kind == "field":
        visited = [p for p in job.places if p.control == "third_party"]
        return r(visited[0].label) if visited else FIELD
    inspectable = [p for p in job.places if p.inspectable]
    primary = next((p for control in ("contractor", "authority") for p in inspectable if p.control == control), None)
    if primary is None:
        accompanied = [p for p in job.places if p.visit == "accompany"]
        return r(accompanied[0].label) if accompanied else "作業場所"
    if job.context.get("work_place_detail") and len(inspectable) == 1:
        return quoted(job.context["work_place_detail"])
    return r(primary.label)


def visit_control(job: Job, e: PlanEntry) -> str:
    """Who controls the one place of an on-site check (the place ``where`` names): ``contractor``,
    ``authority``, ``third_party`` (the field), ``subcontractor`` or ``remote``."""
    kind = e.key[0]
    if kind in ("sub-onsite", "remote"):
        return "subcontractor" if kind == "sub-onsite" else "remote"
    if kind == "field":
        return "third_party"
    own = own_place(job, e)
    if own is not None:
        return own.control
    inspectable = [p.control for p in job.places if p.inspectable]
    return next((c for c in ("contractor", "authority") if c in inspectable), "third_party")


def rule_citation(job: Job, e: PlanEntry) -> str:
    """The 根拠 of a plan row: each rule with the sections it rests on (clauses/sources.yml, plan_rules),
    and the specification's own rules as the article that requires the check (特記事項第12条)."""
    rules = {r["label"]: r for r in job.corpus.data.get("plan_rules") or []}
    docs = {d["id"]: d for d in job.corpus.data.get("sources") or []}
    numbers = {s.clause["id"]: s.number for s in job.selected}
    out = []
    for label in e.rules:
        rule = rules.get(label, {})
        own = (rule.get("clause_of_kind") or {}).get(e.key[0]) or []
        # the kind's article(s), and for the specification's own rule those the entry names (attendance at dated work)
        named = [*([own] if isinstance(own, str) else own), *(e.clauses if label == "特記事項" else ())]
        clause_ids = [c for c in dict.fromkeys(named) if c in numbers]
        cites = []
        for cite in rule.get("cites") or []:
            doc_id, _, ref = cite.partition("#")
            doc = docs.get(doc_id, {})
            name = doc.get("short") or doc.get("title") or doc_id
            cites.append(ref if name == label else f"{name} {ref}".strip())
        if clause_ids:
            articles = [f"第{n}条" for n in sorted(numbers[c] for c in clause_ids)]
            out.append(label + listed(articles))
        elif cites:
            out.append(f"{label}（{'、'.join(cites)}）")
        else:
            out.append(label)
    return "・".join(out)


def plan_rows(job: Job) -> list[tuple[str, str, str, str]]:
    """(時期, 確認すること, 方法, 根拠) grouped by kind; the periodic reports are summarised in one row."""
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    rows: list[tuple[str, str, str, str]] = []
    reports = [e for e in job.plan if e.key[0] == "report"]
    improve = [e for e in job.plan if e.key[0] == "improve"]
    previous: dict[str, str] = {}  # kind → the reasons of its last row: repeated reasons read 「同上」
    years = volumes.by_year(job.context)
    for e in job.plan:
        if e.key[0] == "improve":
            if e is not improve[0]:
                continue
            when = f"{wareki(improve[0].earliest)}〜{wareki(improve[-1].due)}"
            what = r(e.what) + ("（各年度の確認の後、その年度の末日まで）" if len(improve) > 1 else "")
            rows.append((when, what, e.method, r(fill(rule_citation(job, e) + "：" + " ".join(e.reasons), job))))
            continue
        if e.key[0] == "report":
            if e is not reports[0]:
                continue
            frequency = job.values["report_frequency"]
            when = f"{wareki(reports[0].earliest)}〜{wareki(reports[-1].due)}"
            # the last report arrives after the contract's end: after-care, said in the row (issue 25)
            after = "。最終回の受領は契約終了後" if reports[-1].due > date.fromisoformat(job.context["contract_end"]) else ""
            what = (f"{e.what}（{frequency}、各期間の末日から10日以内。全{len(reports)}回。"
                    f"初回 {wareki(reports[0].due)}まで、最終回 {wareki(reports[-1].due)}まで{after}）" if len(reports) > 1
                    else f"{e.what}（期間の末日から10日以内。{wareki(e.due)}まで{after.replace('最終回の', '')}）")
        else:
            when = wareki(e.due) if e.earliest >= e.due else f"{wareki(e.earliest)}〜{wareki(e.due)}"
            what = r(e.what)
            if e.key[0] == "annual" and e.key[1] < len(years):  # per-year counts: the count this year's check used
                what += f"（{years[e.key[1]].label}分。件数は累計{years[e.key[1]].cumulative:,}人）"
            if e.method == "実地":
                what += f"（場所：{where(job, e)}）"  # the answer itself, never reworded
        why = r(fill(rule_citation(job, e) + "：" + " ".join(e.reasons), job))
        shown = "同上（前の行と同じ根拠）" if previous.get(e.key[0]) == why else why
        previous[e.key[0]] = why
        rows.append((when, r(what) if e.key[0] == "report" else what, e.method, shown))
    return rows


def timing_note(job: Job) -> list[Paragraph]:
    """When the work happens (answers peak_months, work_events): the plan's on-site checks follow it."""
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    months, events = timing.peak_months(job.context), timing.events(job.context)
    out = []
    if months:
        busy = timing.months_label(months, date.fromisoformat(job.context["contract_start"]).month)
        kinds = {e.key[0] for e in job.plan}
        checks = ["年1回の実地の確認"] + (["作業場所の外での取扱いの確認（現場への同行）"] if "field" in kinds else []) \
            + (["再委託先の実地調査"] if "sub-onsite" in kinds else [])  # only the checks this plan has
        out.append(Paragraph(r(f"作業が集中する月（回答）：{busy}。{listed(checks)}は、この時期の作業中に行う計画にしています。"
                               "作業をしていない時期に訪ねても、運用は確かめられないためです。")))
    if events:
        column = next(c for q in job.corpus.questions() if q["key"] == "work_events" for c in q["columns"] if c["key"] == "what")
        labels = {c["value"]: c["label"] for c in column["choices"]}
        items = "、".join(f"{wareki(ev.day)} {r(labels[ev.what])}" + (quoted(ev.note) if ev.note else "") for ev in events)
        out.append(Paragraph(r("日付の決まっている作業（回答）：") + items
                             + r("。その日に委託元の職員が立ち会う計画にしています（下の表の立会いの行）。")))
    return out


def volume_blocks(job: Job) -> list:
    """The count the rules used, at the top of the plan; with per-year counts (issue 26 item 6), the count each
    contract year's checks used (its cumulative count), from which year it reaches Fukuoka's 1,000, and why."""
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    count = job.context.get("record_count")
    if count is None:
        return []
    years = volumes.by_year(job.context)
    if not years:
        return [Paragraph(r(f"取扱件数（契約期間の全体で受託者が取り扱う本人の数）：{count:,}人。福岡県の通知が原則として実地調査を求める"
                            f"1,000件以上に{'当たります' if count >= 1000 else '当たりません'}（件数を本人の数で数えるのは本キットの解釈です）。"),
                          note=r("規則が使った件数です。1年あたりの数ではなく、契約期間の全体の人数で判断します。"))]
    first = next((y for y in years if y.reaches), None)
    rows = tuple((y.label, y.span, f"{y.new:,}人", f"{y.cumulative:,}人",
                  ("当たる（この年度から）" if y is first else "当たる") if y.reaches else "当たらない") for y in years)
    if first is None:
        reach = "どの年度も累計が1,000人に達しないため、件数を理由とする実地調査（福岡県の通知）はありません。"
    elif first.index == 0:
        reach = f"初年度（{first.label}）から累計が1,000人以上のため、どの年度の確認も福岡県の通知が原則として実地調査を求める1,000件以上に当たります。"
    else:
        reach = (f"累計は{first.label}に1,000人以上になるため、{first.label}から契約期間の終わりまでの各年度の確認が、福岡県の通知が"
                 f"原則として実地調査を求める1,000件以上に当たります（{years[first.index - 1].label}までは当たりません）。")
    others = onsite_triggers({**job.context, "record_count": 0})
    if others:
        reach += "ただし、" + "、".join(others) + "、件数に関わらずどの年度も実地調査で確認します。"
    return [
        Paragraph(r(f"取扱件数（契約期間の全体で受託者が取り扱う本人の数）：{count:,}人。年度ごとの人数が回答されているため、"
                    "各年度の確認は、その年度の末までに受託者が取り扱う本人の累計で判断します。各年度の規則が使った件数は次の表のとおりです。"),
                  note=r("年度ごとの人数は、その年度に初めて取り扱う本人の数です。合計が契約期間の全体の人数になります。")),
        Table(("年度", "期間（開始日から1年ごと）", "その年度に初めて取り扱う人数", "規則が使った件数（その年度の末までの累計）",
               "1,000件以上（福岡県の通知）"), rows, (13, 32, 16, 20, 19), caption="年度ごとの取扱件数"),
        Paragraph(r(reach)),
        Paragraph(r("累計で数えるのは、前の年度までに受け取った個人情報も、契約期間の終了時に返還・廃棄されるまで受託者の手元に残るため"
                    "です。年度ごとに累計で数えること、件数を本人の数で数えることは本キットの解釈です（同県の通知は複数の年度にわたる場合の"
                    f"数え方を定めていません）。庁内の協議や軽易な業務の確認表のように業務が始まる前に一度だけ決めることは、契約期間の全体の"
                    f"人数（{count:,}人）で判断します。")),
    ]


def supervision_plan(job: Job) -> Document:
    title = reword(job.corpus, job.context, "監督計画（委託先の実施状況の確認）")
    blocks = title_blocks(job, title)
    blocks.append(Paragraph("この計画は、国の指針（年1回以上・原則実地）、久喜市基準（契約の種類と期間による確認頻度）、"
                            "福岡県の通知・監査（実地調査の要否）、特記事項の定めと本キットの方針を当てはめ、最も厳しい結果を"
                            "採っています。根拠の欄は、どの基準によるかを示します。その年に実地で確認できないとき（委託先が遠隔地"
                            "にある等）は、実際の状況を写した映像・写真で代えることができますが、その理由を記録してください。"))
    blocks += volume_blocks(job)
    blocks += timing_note(job)
    blocks.append(Table(("時期", "確認すること", "方法", "根拠"), tuple(plan_rows(job)), (18, 30, 8, 44)))
    blocks.append(Heading(reword(job.corpus, job.context, "委託元の自己点検（入札前・契約前）"), 1))
    self_items = [i for i in job.corpus.lists("self-check")["items"] if evaluate(i.get("applies_when"), job.context)]
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    rows = [(str(n + 1), f"{i['phase']}", r(i["text"]), "") for n, i in enumerate(self_items)]
    blocks.append(Table(("No.", "段階", "点検すること", "結果（適合／不適合／該当なし／未確認）"), tuple(rows), (6, 8, 66, 20)))
    own = department_items(job)
    if own:
        blocks.append(Heading("委託元が自ら確認する事項（特記事項の条文ごと）", 1))
        blocks.append(Paragraph(r("次の事項は委託元の職員が確認するものです。受託者の遵守確認表には載せていません。"
                                  "契約前は左の欄、契約後は右の欄の内容を確認し、結果を記録してください。")))
        blocks.append(Table(("No.", "条文", "契約前に確認すること", "契約後に確認すること", "結果"),
                            tuple((str(n + 1), r(g), r(i["before"]), r(i["after"]), "") for n, (g, i) in enumerate(own)),
                            (5, 17, 34, 34, 10)))
    return job_document(job, "supervision-plan.docx", title, blocks, "plan", landscape=True)
