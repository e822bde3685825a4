"""The steps of the work whose errors no final inspection finds (the first sending, the first keying or
reading, the first output of fixed forms, work on highly secret data, the first receiving, the courier's first
run), and the dated work (answer ``work_events``) at which the department attends each: the supervision plan
(itaku.plan) puts them at the start-of-work visit, or on the day the work is done when the answers date it."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from itaku import timing

FIRST_STEPS = {"print": "試し刷りと初回の封入封緘", "post": "初回の差出し", "hand": "初回の投函・手渡しへの同行",
               "email": "初回の電子メールの送信", "web": "初回のウェブサイトへの掲載"}


def mailing_step(v: Mapping[str, Any]) -> tuple[str, str, tuple[str, ...]] | None:
    """The first sending attended (process_steps), when the contractor sends."""
    if v.get("act_mailing") != "allowed":
        return None
    return ("、".join(FIRST_STEPS[m] for m in FIRST_STEPS if m in (v.get("mailing_methods") or FIRST_STEPS)),
            "発送・配付・送信の誤りは納品後の検査では見つけにくいため、作業の初回に立ち会い、照合と数量の管理を確かめる。",
            ("misdelivery",))  # the record sheet of the visit that attends it lists the sending items


def step_day(v: Mapping[str, Any], start: date, end: date, step: tuple[str, str, tuple[str, ...]]) -> date | None:
    """The dated work (answer work_events) at which a process step is attended: the first sending at the first
    発送・納品 answered, the other steps at the first 作業の初回 answered; None keeps the step at the start-of-work
    visit. Attending the step on the day the work is done, not at a visit before the work begins."""
    what = "shipment" if step == mailing_step(v) else "first_run"
    return min((ev.day for ev in timing.events(v) if ev.what == what and start <= ev.day <= end), default=None)


def process_steps(v: Mapping[str, Any]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(step attended, why, articles) for work whose errors a final inspection cannot find (issue 29): sending,
    keying and conversion, fixed-form output, highly secret data, and the courier's first run (transport, 第5項)."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    mailing = mailing_step(v)
    if mailing:
        out.append(mailing)
    if v.get("kind_data_entry") or v.get("kind_scanning"):
        out.append(("入力・読取りの初回（原票と入力結果の照合、読合せ・二重入力の手順、件数の突合）",
                    "入力・変換の誤り（読み違い、入力漏れ、原票の取り違え）は、納品物を全件見直さない限り最終の検査では"
                    "見つからないため、作業の初回に立ち会い、照合の手順を確かめる。", ()))
    if v.get("kind_benefits"):
        out.append(("通知書・帳票の初回の出力（抽出の条件、件数の照合、他人の情報の混入の有無）",
                    "定型の帳票の誤り（抽出条件の誤り、他人の情報の混入）は、出力された全件を見ない限り最終の検査では"
                    "見つからないため、初回の出力に立ち会う。", ()))
    if v.get("secrecy") in ("high", "very_high"):
        out.append(("作業中の取扱い（画面・資料の管理、作業場所への私物の持込みの制限）",
                    "秘匿性の高い個人情報は、作業中の取扱いの誤りや不正が成果物に現れず、最終の検査では見つからないため、"
                    "作業中に立ち会って確かめる。", ()))
    if v.get("intake_job"):  # issue 26: the first day of receiving, opening and handing over
        post = "post" in (v.get("intake_channels") or [])
        out.append(("受付の初回（受付簿への記録" + ("、二人以上での開封と同封物の確認、誤配物の仕分け" if post else "")
                    + ("、申請データの取得と件数の照合" if "online" in (v.get("intake_channels") or []) else "")
                    + "、委託元への引渡し）",
                    "受付物の紛失や同封物の抜け、誤配物の開封は、届いた時点の記録がなければ後から確かめられないため、"
                    "受付の初回に立ち会い、受付簿と" + ("開封の" if post else "取得の") + "手順を確かめる。", ("receiving-post",)))
    if v.get("transport_is_job") and v.get("act_transport") == "allowed":
        out.append(("運搬の初回の立会い（容器の封と個数、受渡簿、車両の施錠）",
                    "特記事項は、運搬の初回に委託元が立ち会うと定めている。", ("transport",)))
    return out
