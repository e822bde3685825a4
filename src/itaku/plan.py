"""The supervision plan (監督計画): what the department checks, how and when.

The rule sets (national guidance, Kuki's standard, Fukuoka's notice and audit,
the kit's own policy, the specification) each produce requirements on their
own, labelled with whose rule it is; the plan merges them
so that for every requirement there is an entry at least as strict (実地
beats 書面, the earlier due date wins). Keeping the rule sets separate lets
tests prove the plan is never weaker than any one of them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache, wraps
from typing import Any, Callable, Mapping

from itaku import timing, volumes
from itaku.steps import FIRST_STEPS, process_steps, step_day  # noqa: F401 - FIRST_STEPS: tests read it here
from itaku.conditions import evaluate
from itaku.wareki import add_months

METHOD_RANK = {"書面": 0, "実地": 1}


@dataclass(frozen=True)
class Requirement:
    key: tuple[str, int]  # (kind, period index): requirements with the same key merge
    what: str
    method: str  # 書面 | 実地
    earliest: date
    due: date
    rule: str  # which rule set asks for it
    reason: str
    clauses: tuple[str, ...] = ()  # the specification's articles asking for it, when not its kind's (plan_rules)
    place: str = ""  # the work place (work_places id) of dated work done away from the main one (main_place)


@dataclass(frozen=True)
class PlanEntry:
    key: tuple[str, int]
    what: str
    method: str
    earliest: date
    due: date
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    clauses: tuple[str, ...] = ()
    place: str = ""


def periods(start: date, end: date) -> list[tuple[date, date]]:
    """Contract years: [start, start+12m), … clipped to the contract end."""
    return volumes.contract_years(start, end)


def _mid(a: date, b: date) -> date:
    return a + (b - a) / 2


def national(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """PPC: at least once a year per contracted job, in principle on site."""
    return [
        Requirement(("annual", i), "契約後の遵守確認表による確認", "実地", a, b, "国の指針",
                    "少なくとも年1回、原則として実地で確認する。"
                    "委託先が遠隔地にある等でその年の実地が困難なときは、実際の状況を写した映像・写真で代えることができる。")
        for i, (a, b) in enumerate(periods(start, end))
    ]


def kuki(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """Kuki city standard: frequency by contract type and length."""
    out: list[Requirement] = []
    ps = periods(start, end)
    ctype, term = v.get("contract_type"), v.get("term")
    for i, (a, b) in enumerate(ps):
        # 「半年後を目安」: the window opens after some months of work, never on the first day.
        opens, target = min(add_months(a, 4), _mid(a, b)), min(b, add_months(a, 6))
        if ctype == "designated_manager":
            out.append(Requirement(("annual", i), "契約後の遵守確認表による確認", "実地", opens, target, "久喜市基準",
                                   "指定管理は年1回（半年後を目安）作業場所に赴いて確認する。"))
        elif ctype == "long_term":
            out.append(Requirement(("annual", i), "契約後の遵守確認表による確認", "書面", opens, target, "久喜市基準",
                                   "長期継続契約は年1回、遵守確認表で確認する。"))
        elif term == "under_1y" or (b - a).days < 300:
            quarter = (b - a) / 4
            out.append(Requirement(("annual", i), "契約後の遵守確認表による確認", "書面", a + quarter, b - quarter,
                                   "久喜市基準", "1年未満の契約は履行期間の中ほどに遵守確認表で確認する。"))
        else:
            method = "実地" if v.get("same_contractor_every_year") else "書面"
            reason = "1年の契約は半年後を目安に遵守確認表で確認する。"
            if len(ps) > 1:  # the standard speaks of one-year contracts; the kit reads it year by year
                reason += "複数年の契約では、これを契約の各年に当てはめている（本キットの方針）。"
            if method == "実地":
                reason += "毎年同じ事業者と契約している場合は、少なくとも3年に1回は作業場所に赴く（本計画では今年度に実施）。"
            out.append(Requirement(("annual", i), "契約後の遵守確認表による確認", method, opens, target, "久喜市基準", reason))
    if ctype == "long_term" and ps:
        out.append(Requirement(("annual", 0), "契約後の遵守確認表による確認", "実地", start, end, "久喜市基準",
                               "長期継続契約は、履行期間中に少なくとも1回は作業場所に赴いて確認する。"))
    return out


FUKUOKA = "福岡県の通知・監査"
KIT_POLICY = "本キットの方針"


def opens(v: Mapping[str, Any], earliest: date, due: date) -> date:
    """A window before the contract does not open before the documents exist (作成日), nor after its due date."""
    created = v.get("created_on")
    if not created:
        return earliest
    return max(earliest, min(date.fromisoformat(str(created)), due))


def pre_contract(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """The pre-contract self-check is received before signing (指定管理: at selection, before the designation).

    The specification itself asks for it before signing (特記事項の事前提示の条); Fukuoka's audit accepted
    it right after signing, which is too late to fix a 不適合 before the contract binds."""
    if v.get("contract_type") == "designated_manager":
        return [Requirement(("pre", 0), "指定管理者の候補者からの遵守確認表（契約前）の提出と内容の確認（指定の前）", "書面",
                            opens(v, start - timedelta(days=120), start - timedelta(days=30)), start - timedelta(days=30),
                            "特記事項",
                            "指定管理者の選定の段階で自己点検の結果を提出させ、管理体制と実施体制を確認してから指定する。")]
    return [Requirement(("pre", 0), "遵守確認表（契約前）の提出と内容の確認（契約の締結前）", "書面",
                        opens(v, start - timedelta(days=30), start - timedelta(days=1)), start - timedelta(days=1), "特記事項",
                        "契約を締結する前に自己点検の結果を提出させ、不適合の項目は改善の内容と期限を確かめてから契約する。")]


@lru_cache(maxsize=1)
def fukuoka_triggers() -> tuple[Mapping[str, Any], ...]:
    """Fukuoka's on-site triggers, as data (clauses/sources.yml, document fukuoka-2024)."""
    from itaku.model import load  # the shipped corpus; imported here to keep plan importable alone

    doc = next(d for d in load().data["sources"] if d["id"] == "fukuoka-2024")
    return tuple(doc["onsite_triggers"])


def onsite_triggers(v: Mapping[str, Any], year: volumes.YearCount | None = None) -> list[str]:
    """Why on-site checks are required, each a phrase ending in 「ため」 (「…を取り扱う（本人の数で36,000人…）ため」);
    ``year``: the contract year whose cumulative count ``v`` holds (per-year counts, issue 26 item 6)."""
    def count(n: int) -> str:
        return (f"（本人の数で{n:,}人。本人の数で数えるのは本キットの解釈）" if year is None else
                f"（本人の数で、{year.label}の末までの累計{n:,}人。年度ごとに累計で数えること、本人の数で数えることは本キットの解釈）")
    return [t["label"] + (count(v[t["when"]["gte"][0]]) if "gte" in t["when"] else "") + "ため"
            for t in fukuoka_triggers() if t.get("when") is not None and evaluate(t["when"], v)]


def fukuoka(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """Fukuoka notice and audit: on-site checks when the data call for them. With per-year counts, each contract
    year's checks read the count of that year (volumes.counted), so a growing job reaches 1,000 from some year."""
    out: list[Requirement] = []
    years = volumes.by_year(v)
    for i, (a, b) in enumerate(periods(start, end)):
        triggers = onsite_triggers(volumes.counted(v, i), years[i] if i < len(years) else None)
        if not triggers:
            continue
        why = ("、".join(triggers) + "、原則として実地調査で確認する（福岡県の通知）。同県の監査委員は、庁舎内の作業や"
               "入室制限を理由に省かず現場で運用を確かめること、県外にあることだけでは必ずしも省く理由にならないことを指摘している。"
               "作業場所が{{outside_area}}にあることも同様に扱う。")
        if i == 0:
            out.append(Requirement(("onsite-start", 0), "管理体制・実施体制の実地調査（業務の開始直後）", "実地", start,
                                   start + timedelta(days=30), FUKUOKA, why))
        out.append(Requirement(("annual", i), "契約後の遵守確認表による確認", "実地", a, b, FUKUOKA, why))
    return out


def kit_policy(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """The kit's own choice, not a rule of any authority: check on site early after a past incident."""
    if not v.get("past_incident"):
        return []
    return [Requirement(("onsite-start", 0), "管理体制・実施体制の実地調査（業務の開始直後）", "実地", start,
                        start + timedelta(days=30), KIT_POLICY,
                        "同じ業務で過去に事故があった事業者のため、契約当初に実地で確認する（福岡県の通知は、この場合に選定時の"
                        "説明を特に入念に行うよう求めており、実地調査までは求めていない。実地調査は本キットの方針）。")]


# The first run of each way of sending (mailing_methods) that the start-of-work visit attends.


def contract(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """Checks the specification itself calls for (re-outsourcing, deliverables, the end)."""
    out: list[Requirement] = []
    subs = "、".join(f"「{r['name']}」" for r in v.get("subcontractors") or [])
    secret = v.get("secrecy") in ("high", "very_high")
    if v.get("reoutsourcing") == "planned":
        for i, (a, b) in enumerate(periods(start, end)):
            # The first one comes with the application, before the subcontractor works (特記事項: 作業開始前).
            first = i == 0
            out.append(Requirement(("sub", i), f"再委託先{f'（{subs}）' if subs else ''}の遵守確認表（受託者経由で提出）と"
                                   "再委託先への指示内容の確認" + ("（再委託の承認の申請に添えて、再委託先の作業開始前）" if first else ""),
                                   "書面", opens(v, a - timedelta(days=30), a - timedelta(days=1)) if first else a,
                                   a - timedelta(days=1) if first else min(b, add_months(a, 6)), "特記事項",
                                   "再委託先の安全管理措置を、受託者を通じて提出させた遵守確認表で確認する。"
                                   + ("特記事項は、再委託先の作業開始前の提出を求めている。" if first else "")))
            if v.get("subcontractor_handles_sensitive") or secret:
                why = ("特定個人情報又は要配慮個人情報が再委託先に渡るため" if v.get("subcontractor_handles_sensitive")
                       else "秘匿性の高い個人情報を扱う業務の再委託であるため（福岡県の監査：原則として委託元が自ら実地調査）")
                out.append(Requirement(("sub-onsite", i), f"再委託先{f'（{subs}）' if subs else ''}の実地調査（委託元が自ら行う）",
                                       "実地", a, b, "特記事項", f"{why}、委託元が再委託先を実地で調査する。"))
    # 特記事項 (audit): the contractor's own check 「業務の開始後速やかに」, before the later periodic ones.
    out.append(Requirement(("selfcheck-start", 0), f"業務の開始後速やかに行う自己点検（遵守確認表（契約後））の結果の受領と確認"
                           f"（開始から{SELFCHECK_DAYS}日以内）", "書面", start, min(end, start + timedelta(days=SELFCHECK_DAYS)),
                           "特記事項", "特記事項は、業務の開始後速やかに遵守確認表による自己点検を行い、その結果を提出させることとしている。"))
    out += field_checks(v, start, end)
    step = {"monthly": 1, "quarterly": 3, "half_yearly": 6}.get(v.get("report_frequency"), 1)
    n, p_start = 0, start
    while p_start <= end:
        p_end = min(end, add_months(start, step * (n + 1)) - timedelta(days=1))
        out.append(Requirement(("report", n), "定期報告書の受領と内容の確認", "書面", p_end, p_end + timedelta(days=10),
                               "特記事項", "受託者の定期報告を受け、従事者・作業場所・持出し・事故等の状況を確認する。"))
        n, p_start = n + 1, add_months(start, step * (n + 1))
    if v.get("deliverables"):
        out.append(Requirement(("deliverables", 0), "成果物・納品物の検査（第三者へ渡す前に）", "書面", start, end, "特記事項",
                               "納品の都度、他人の情報の混入や宛先の誤りがないかを、第三者へ渡す前に検査する。"))
    for i, (a, b) in enumerate(periods(start, end)):
        out.append(Requirement(("improve", i), "不適合があった場合：改善計画書の受領と改善の実施の確認", "書面",
                               min(add_months(a, 5), _mid(a, b)), b, "特記事項",
                               "確認で不適合があったときは、改善指示の期限までに改善計画書を提出させ、改善されたことを確かめる。"))
    steps = [s for s in process_steps(v) if not step_day(v, start, end, s)]  # the others go to their dated work
    if steps:
        # The same visit as the start-of-work inspection when there is one: one visit, not two opening the same day.
        out.append(Requirement(("onsite-start", 0), f"作業中の立会いと工程の確認（{'、'.join(s for s, _, _ in steps)}）",
                               "実地", start, min(end, start + timedelta(days=60)), "特記事項",
                               "".join(dict.fromkeys(why for _, why, _ in steps)),
                               tuple(dict.fromkeys(c for _, _, cs in steps for c in cs))))
    out += witness(v, start, end)
    if v.get("contract_type") == "designated_manager":
        out.append(Requirement(("handover", 0), "指定期間の最終年度：次の指定管理者又は委託元への個人情報の引継ぎの確認（引継書の受領）",
                               "実地", max(start, add_months(end, -3)), end, "特記事項",
                               "指定期間の満了時に、施設の個人情報が引継書のとおり引き継がれ、手元に残っていないことを確かめる。"))
    # Every specification promises the staff's attendance at disposal and erasure (return-disposal, 第4項).
    strict = v.get("specific_personal_info") or v.get("sensitive_info")
    why = ("特記事項は、廃棄・消去を委託元の職員の立会いの下で行うと定めている（立会いによらないことを認めるときは、写真・動画、"
           "消去の記録、廃棄を行った事業者の証明書で確かめる）。" + ("特定個人情報・要配慮個人情報は、立会いによらないことを認めない"
                                                   "（本キットの方針）。" if strict else ""))
    if v.get("destruction_job"):  # issue 26: the completion inspection comes before payment, inside the contract
        out.append(Requirement(("end", 0), "完了の検査：廃棄・消去証明書（媒体ごとの明細）の受領と、媒体の管理台帳・引渡しの記録との"
                               "照合、検査調書の作成（対価の支払の前、契約期間内）、併せて資料等の返還の確認、廃棄・消去の立会い",
                               "実地", max(start, end - timedelta(days=DESTRUCTION_CLOSING_DAYS)), end, "特記事項",
                               why + "廃棄そのものが業務であり、特記事項は、契約期間内に証明書を媒体の管理台帳と照合して完了の検査を"
                               "行い、検査に合格してから対価を支払うと定めている。", ("media-destruction",)))
        return out
    out.append(Requirement(("end", 0), "資料等の返還の確認、廃棄・消去の立会いと証明書の受領（契約の終了時。受領は契約終了後14日以内）",
                           "実地", end, end + timedelta(days=14), "特記事項",
                           why + "契約終了時に、返還・廃棄・消去を証明書で確認する。"))
    return out


def witness(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """The attendance the specification promises for bulk work that happens on notice (transport 第7項,
    privileged-access 第7項・第8項): one row for the whole contract, 「届出の都度」."""
    works, clauses = [], []
    if v.get("act_transport") in ("allowed", "routine") and not v.get("transport_is_job"):
        works.append("臨時の一括抽出・大量の移送（システムの移行、保管場所の移転など）")
        clauses.append("transport")
    if v.get("destruction_job"):  # issue 26: every session of the destruction, on the contractor's notice
        works.append("廃棄対象物の処理（日付の決まっていない処理を含む）")
        clauses.append("media-destruction")
    if v.get("system_operation"):
        works.append("個人情報の一括抽出・複製・情報システムの外への出力")
        clauses.append("privileged-access")
    if not works:
        return []
    return [Requirement(("witness", 0), f"{'及び'.join(works)}への立会い（受託者から届出又は承認の申請を受けた都度。"
                        "立会いに代えて別の方法で確かめるときは、その方法と理由を記録する）", "実地", start, end, "特記事項",
                        "特記事項は、これらの作業を委託元の職員の立会いの下で行うと定めている。一度に大量の個人情報が動き、"
                        "一回の誤りや不正の影響が大きいため。", tuple(clauses))]


def dated(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """Attendance on the job's dated work (answer work_events): one visit a day. A day on which another on-site
    check opens (or the first run inside the start-of-work window) joins that check: one visit, not two; so does
    a day inside a yearly check's window that no other day took (a short contract is not visited once per
    dated day and once more for the yearly check)."""
    events = timing.events(v)
    if not events:
        return []
    base = merge([r for rule in BASE_RULES for r in rule(v, start, end)])
    opening = {e.earliest: e.key for e in base if e.method == "実地" and e.key[0] in ("onsite-start", "annual")}
    yearly = [e for e in base if e.method == "実地" and e.key[0] == "annual"]
    hosted: set[tuple[str, int]] = set()  # the yearly checks a dated day has taken

    def host(day: date) -> tuple[str, int] | None:
        """The yearly check this day's attendance can be: the first whose window holds the day, not yet taken."""
        return next((e.key for e in yearly if e.key not in hosted and e.earliest <= day <= e.due), None)
    end_entry = next(e for e in base if e.key[0] == "end")
    closing = end_entry.earliest
    first = next((e for e in base if e.key[0] == "onsite-start"), None)
    main = main_place(v)
    days: dict[tuple[date, str], list[timing.Event]] = {}
    for ev in events:  # work at another place than the main one is a visit of its own, to that place
        days.setdefault((ev.day, "" if ev.place == main else ev.place), []).append(ev)
    out: list[Requirement] = []
    n, joined = 0, False
    for (day, place), group in sorted(days.items()):
        kinds = list(dict.fromkeys(ev.what for ev in group))
        if place:
            key, n = ("attend", n), n + 1
        else:
            key = opening.get(day)
        if key is None and day == closing and kinds == ["destruction"]:
            key = ("end", 0)  # the disposal on the last day is the end-of-contract visit, in its own words
            out.append(Requirement(key, end_entry.what, "実地", day, day, "特記事項", end_entry.reasons[0]))
            continue
        if key is None and first and not joined and first.earliest <= day <= first.due and "first_run" in kinds:
            key = first.key
        if key is None and not place:
            key = host(day)
        if key is None:
            key, n = ("attend", n), n + 1
        hosted.add(key)
        joined = joined or (first is not None and key == first.key)
        steps = [s for s in process_steps(v) if step_day(v, start, end, s) == day]
        clauses = [c for k in kinds for c in EVENT_CLAUSES[k](v)] + [c for _, _, cs in steps for c in cs]
        out.append(Requirement(key, "、".join(timing.EVENT_WHAT[k] for k in kinds)
                               + (f"、併せて作業中の立会いと工程の確認（{'、'.join(s for s, _, _ in steps)}）" if steps else ""),
                               "実地", day, day, "特記事項",
                               "日付の決まっている作業として回答された日に職員が立ち会い、作業中の取扱いをその場で確かめる。"
                               + "".join(EVENT_REASONS.get(k, "") for k in kinds)
                               + "".join(dict.fromkeys(why for _, why, _ in steps)),
                               tuple(dict.fromkeys(clauses)) or ("audit",), place))
    return out


def main_place(v: Mapping[str, Any]) -> str:
    """The work place an on-site check goes to when nothing names another (as ``supervision.where`` reads the
    places): the contractor's premises when the job has them, else the authority's, else none."""
    chosen = v.get("work_places") or []
    return next((p for p in ("contractor_premises", "our_premises") if p in chosen), "")


# The articles behind attendance at each kind of dated work; a migration cites what the job's specification has.
EVENT_CLAUSES: dict[str, Callable[[Mapping[str, Any]], list[str]]] = {
    "first_run": lambda v: ["audit"], "other": lambda v: ["audit"],
    # a sending or hand-over: the articles on sending and on carrying sealed containers, when the job has them
    "shipment": lambda v: [c for c, on in (("misdelivery", v.get("act_mailing") == "allowed"),
                                           ("transport", v.get("act_transport") in ("allowed", "routine"))) if on]
    or ["audit"],
    "destruction": lambda v: ["return-disposal", *(["media-destruction"] if v.get("destruction_job") else [])],
    "migration": lambda v: [c for c, on in (("transport", v.get("act_transport") in ("allowed", "routine")
                                                            and not v.get("transport_is_job")),
                                            ("privileged-access", bool(v.get("system_operation"))),
                                            ("provider-service", bool(v.get("provider_service"))
                                             and "in" in (v.get("service_migration") or []))) if on] or ["audit"],
}
EVENT_REASONS = {"destruction": "特記事項は、廃棄・消去を委託元の職員の立会いの下で行うと定めている。",
                 "migration": "一度に大量の個人情報が動く作業は、一回の誤りや不正の影響が大きいため。"}


def field_checks(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
    """Checks the facts of issue 12 call for: devices in the field, remote access, printing, hand delivery, other contractors."""
    out: list[Requirement] = []
    devices = set(v.get("field_devices") or []) & {"handheld", "tablet", "laptop", "media"}
    sites = [r["place"] for r in v.get("remote_sites") or []]
    methods = set(v.get("mailing_methods") or [])
    for i, (a, b) in enumerate(periods(start, end)):
        if devices or "visits" in (v.get("work_places") or []):
            if devices:  # the settings of lent terminals are the authority's own: the check looks at their use
                settings = ([] if v.get("device_contractor_manages_none") else ["端末の暗号化と画面ロック"]) + (
                    ["貸与した端末の設定が変えられていないこと"] if v.get("device_lent_terminals") else [])
                what = "、".join(settings + ["車内への放置の有無、帰着時の返却と台数の照合"])
            else:  # visits with paper only (issue 27.6): the papers themselves
                what = "持ち出した資料等の施錠できる鞄での携行、車内への放置の有無、帰着時の返却と数の照合"
            if v.get("visits_direct_home"):  # issue 26.3: the day's papers may go home on a direct-return day
                what = what.replace("帰着時の返却", "帰着時（直行・直帰の日は次の業務日の始め）の返却")
            if v.get("survey_job"):  # issue 26.3: the survey itself is what the accompanying staff see
                what = "調査員の身分証明書の提示と相手方の確認、携行する資料の範囲、" + what
            out.append(Requirement(("field", i), f"作業場所の外での取扱いの確認（現場への同行又は帰着時の立会い：{what}）",
                                   "実地", a, b, "特記事項",
                                   "個人情報が作業場所の外（訪問先・現場）で扱われるため、作業場所の確認だけでは運用を確かめられない。"))
        for n, site in enumerate(sites):  # one row per site: an on-site row names one place (REMOTE_SLOTS per period)
            out.append(Requirement(("remote", i * REMOTE_SLOTS + n), f"遠隔接続の接続元（「{site}」）の確認（接続できる端末と人の限定、認証、"
                                   "接続の記録）", "実地", a, b, "特記事項",
                                   "委託元の情報システムに遠隔で接続する場所は、作業場所と同じく個人情報に触れる場所であるため。"))
        if v.get("place_provider_dc"):
            out.append(Requirement(("provider-dc", i), "クラウドサービスの提供事業者のデータセンターの確認（立ち入れないため実地調査に代えて："
                                   "第三者による監査の報告書又は認証の写しとその有効期間、障害・アクセスの記録、設定を示す画面等の"
                                   "証跡を受託者を通じて受領し確認する）", "書面", a, min(b, add_months(a, 6)), "特記事項",
                                   "提供事業者の設備には委託元も受託者も立ち入れないため、第三者の監査・認証と記録で代えて確かめる。"))
        if v.get("act_extraction") == "approval":
            out.append(Requirement(("extraction", i), "本番データの抽出の承諾申請と、利用後の消去の報告（消去の記録）の確認", "書面", a,
                                   min(b, add_months(a, 6)), "特記事項",
                                   "本番データを試験や障害調査のために抽出することがあり、抽出したデータが残ることが漏えいの原因になるため。"))
        if v.get("transport_is_job"):
            out.append(Requirement(("courier", i), "配送の記録（引渡しの日時・容器の数・封の状態・受領者の確認）の確認", "書面", a,
                                   min(b, add_months(a, 6)), "特記事項",
                                   "配送・搬送そのものが業務であり、引渡しの記録が事故を早く見付ける唯一の手掛かりになるため。"))
        if v.get("survey_job"):  # issue 26.3: the specification's monthly reconciliation of the cases
            out.append(Requirement(("survey", i), "訪問調査の件数照合表（月次。割当て・訪問済み・引渡し又は送信・返却・未了）の受領と、"
                                   "割当ての一覧及び受け取った調査票の数との照合（毎月、翌月10日の提出後）", "書面", a, b, "特記事項",
                                   "訪問調査の調査票は従事者が一件ずつ持ち歩くため、紛失や記録の誤りは毎月の件数の照合で早く見つける。"))
        if "hand" in methods:
            out.append(Requirement(("hand", i), "投函・手渡しの配付記録票（出発前の照合、持ち戻りの記録）の確認", "書面", a,
                                   min(b, add_months(a, 6)), "特記事項",
                                   "受託者の従事者が一人で配る作業は、誤配の防止を記録で確かめるほかないため。"))
    if "print" in methods:
        # The attendance at the test print is the start-of-work visit's (FIRST_STEPS); this row is the records.
        out.append(Requirement(("print", 0), "印刷・封入封緘の数量照合表（工程ごとの件数、損紙・試し刷りの廃棄の記録）の確認（納品の都度）",
                               "書面", start, end, "特記事項",
                               "宛名の誤印字や封入の誤りは、試し刷りの確認と工程ごとの件数の照合で防ぐため。"))
    if v.get("provider_service"):  # issue 26.2: the first-year migration in, and the exit order inside the contract
        moves = set(v.get("service_migration") or [])
        if "in" in moves:
            out.append(Requirement(("migration-in", 0), "データの移行の確認（移行計画書の承認、移行元との件数の照合と抜き取った記録の"
                                   "突き合わせの結果、中間のデータの消去の記録）", "書面", opens(v, start - timedelta(days=30), start),
                                   min(end, start + timedelta(days=90)), "特記事項",
                                   "初年度の移行は全件が一度に動き、件数の照合だけでは項目のずれや読み替えの誤りを見付けられないため。"))
        out.append(Requirement(("exit", 0), "終了時のデータの引渡しと確認（指定した形式での全件の引渡し、委託元による件数と内容の確認と"
                               "その通知。消去と消去証明書は確認の後）" + ("、次の事業者への引継ぎのデータと資料の確認" if "out" in moves else ""),
                               "書面", max(start, end - timedelta(days=30)), end, "特記事項",
                               "先に消去されると引き渡されたデータの不足を取り戻せないため、契約期間の中で引渡しと確認を終える。"))
    others = "、".join(f"「{r['name']}」" for r in v.get("other_contractors") or [])
    if v.get("multiple_contractors"):
        out.append(Requirement(("division", 0), f"事業者間の分担表の交付と、他の事業者{f'（{others}）' if others else ''}との受渡しの記録の確認",
                               "書面", opens(v, start - timedelta(days=30), start), start + timedelta(days=30), "特記事項",
                               "同じ個人情報を複数の事業者が扱うため、分担と受渡しの時点を契約の当初に確かめる。"))
    return out


PEAK_KINDS = ("annual", "field", "sub-onsite")  # on-site checks that should see the work being done
AFTER_CARE = ("end", "report")  # may end after the contract (certificates, the last report); their rows say so


def fitted(rule: Callable[[Mapping[str, Any], date, date], list[Requirement]]
           ) -> Callable[[Mapping[str, Any], date, date], list[Requirement]]:
    """A rule set whose windows keep to the job's timing (issue 25): on-site checks in the busy months, nothing
    before 作成日, nothing after the contract's end but the after-care."""
    @wraps(rule)
    def fit(v: Mapping[str, Any], start: date, end: date) -> list[Requirement]:
        return [_fit(v, start, end, r) for r in rule(v, start, end)]
    return fit


def _fit(v: Mapping[str, Any], start: date, end: date, r: Requirement) -> Requirement:
    earliest, due, reason = r.earliest, r.due, r.reason
    months = timing.peak_months(v) if r.key[0] in PEAK_KINDS else []
    ps = periods(start, end) if months else []
    if months and r.key[1] < len(ps):
        run = timing.busiest(months, *ps[r.key[1]])
        if run:  # every requirement of one key goes to the same stretch, so their windows still overlap
            earliest, due, moved = timing.within_peak(run, earliest, due)
            if moved:
                reason += (f"（作業が集中する{timing.months_label(months, start.month)}の作業中に確かめるため、時期をこの期間に移した。"
                           "時期を繁忙期に合わせるのは本キットの方針）")
    created = date.fromisoformat(str(v["created_on"])) if v.get("created_on") else None
    if r.key[0] == "annual":  # sees work under way: never the first day, when the start-of-work visit opens
        earliest = max(earliest, max(start, created or start) + timedelta(days=1))
    if created and created > earliest:
        earliest = created
        if created > due:
            due = created
            reason += "（この文書の作成日が本来の期限より後のため、作成日以後速やかに行う）"
    due = max(due, earliest)
    if r.key[0] not in AFTER_CARE:
        due = min(due, end)
        earliest = min(earliest, due)
    return replace(r, earliest=earliest, due=due, reason=reason)


BASE_RULES = tuple(fitted(rule) for rule in (national, kuki, pre_contract, fukuoka, kit_policy, contract))
RULE_SETS: tuple[Callable[[Mapping[str, Any], date, date], list[Requirement]], ...] = BASE_RULES + (fitted(dated),)
# Rows of the plan are grouped by kind, in this order (then by date).
KIND_ORDER = ("pre", "onsite-start", "selfcheck-start", "attend", "witness", "annual", "improve", "sub", "sub-onsite",
              "report", "survey", "deliverables", "handover", "end")
REMOTE_SLOTS = 100  # ("remote", period * REMOTE_SLOTS + site): one entry per connecting site and period
SELFCHECK_DAYS = 30  # 「業務の開始後速やかに」 read as within this many days of the start
DESTRUCTION_CLOSING_DAYS = 30  # a destruction job's completion inspection: the contract's last days, never after it


def requirements(v: Mapping[str, Any]) -> list[Requirement]:
    start, end = date.fromisoformat(v["contract_start"]), date.fromisoformat(v["contract_end"])
    return [r for rule in RULE_SETS for r in rule(v, start, end)]


def merge(reqs: list[Requirement]) -> list[PlanEntry]:
    """One entry per key: the strictest method, the earliest due date, every reason kept."""
    grouped: dict[tuple[str, int], list[Requirement]] = {}
    for r in reqs:
        grouped.setdefault(r.key, []).append(r)
    entries = []
    for key, group in grouped.items():
        strict = max(group, key=lambda r: METHOD_RANK[r.method])
        entries.append(PlanEntry(
            key=key,
            what="、併せて".join(dict.fromkeys(r.what for r in group if r.method == strict.method)),
            method=strict.method,
            earliest=max(r.earliest for r in group),
            due=min(r.due for r in group),
            rules=tuple(dict.fromkeys(r.rule for r in group)),
            reasons=tuple(dict.fromkeys(r.reason for r in group)),
            clauses=tuple(dict.fromkeys(c for r in group for c in r.clauses)),
            place=next((r.place for r in group if r.place), ""),
        ))
    return sorted(entries, key=lambda e: (KIND_ORDER.index(e.key[0]) if e.key[0] in KIND_ORDER else len(KIND_ORDER),
                                          e.due, e.key))


def build_plan(v: Mapping[str, Any]) -> list[PlanEntry]:
    return merge(requirements(v))
