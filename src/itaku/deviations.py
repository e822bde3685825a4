"""deviations.docx, 条文の採否一覧: every clause adopted or not and why, each act's decision, the
relaxations chosen, the 号 the user added, and the edition's own clauses."""
from __future__ import annotations

from typing import Any, Mapping

from itaku import parties
from itaku.articles import SOURCES, article, paragraph_entries
from itaku.checklists import checklist_rows
from itaku.conditions import evaluate
from itaku.devices import duties_left_out
from itaku.document import Block, Document, Heading, Paragraph, Table
from itaku.header import job_document, title_blocks
from itaku.derived import light_criteria
from itaku.job import Job
from itaku.kinds import chosen, kinds, merge_presets
from itaku.rewording import label as paragraph_label, locate, unplaced
from itaku.wording import display_value, quoted, reword


ACT_RELAXED = ("approval", "routine", "allowed")
FREQUENCY_RELAXED = {"quarterly": "四半期ごと（毎月より少ない）", "half_yearly": "半期ごと（毎月より少ない）"}


def adoption_rows(job: Job) -> list[tuple[str, str, str, str]]:
    """(条文, 採否, 文言, 決めた回答・理由) for every clause of the corpus, in corpus order."""
    chosen = {s.clause["id"]: s for s in job.selected}
    excluded = {cl["id"]: why for cl, why in job.excluded} | left_out_by_kind(job)
    labels = {(c["id"], v["id"]): v["label"] for c in job.corpus.clauses for v in c.get("variants") or []}
    rows = []
    for clause in job.corpus.clauses:
        s = chosen.get(clause["id"])
        if s is not None:
            wording = reword(job.corpus, job.context, labels.get((clause["id"], s.variant), "")) if s.variant else "標準の文言"
            changed = [e for e in paragraph_entries(job, s) if e["source"]]
            if changed:
                wording += "（" + "、".join(f"{e['label'].split('条', 1)[1]}は{SOURCES[e['source']]}" for e in changed) + "）"
            rows.append((clause["title"], f"採用 第{s.number}条", wording, s.reason.split("。文言：")[0]))
        else:
            rows.append((clause["title"], "不採用", "－", excluded[clause["id"]]))
    return rows


def removed_for_act(job: Job, act: str) -> list[Mapping[str, Any]]:
    """The clauses the user removed that regulate ``act`` (the clause's ``topics`` name the act)."""
    return [job.corpus.clause(cid) for cid in job.answers.removed
            if act in (job.corpus.clause(cid).get("topics") or [])]


def act_rows(job: Job) -> list[tuple[str, str, str]]:
    """(行為, この業務での扱い, 決めた回答) per act; an act whose article the user removed says so, not 「禁止」."""
    rows = []
    for d in job.acts.values():
        gone = removed_for_act(job, d.act)
        if gone:
            titles = "、".join(f"「{c['title']}」" for c in gone)
            reasons = "、".join(quoted(job.answers.removed[c["id"]]) for c in gone)
            rows.append((d.label, f"条文を外した（{titles}を特記事項に置かない）",
                         f"既定の条文{titles}を外すと決めたため。記録した理由：{reasons}"))
        else:
            rows.append((d.label, d.value_label, reword(job.corpus, job.context, d.reason)))
    return rows


def relaxations(job: Job) -> list[tuple[str, str]]:
    """(what, why) for every choice that loosens the model specification's defaults."""
    out = [(f"{d.label}：{d.value_label}", reword(job.corpus, job.context, d.reason))
           for d in job.acts.values() if d.value in ACT_RELAXED]
    frequency = job.context.get("report_frequency")
    if frequency in FREQUENCY_RELAXED:
        out.append((f"定期報告の頻度：{FREQUENCY_RELAXED[frequency]}", "「定期報告の頻度」の回答による"))
    for cid, reason in job.answers.removed.items():
        out.append((f"既定の条文を外した：{job.corpus.clause(cid)['title']}", f"理由：{quoted(reason)}"))
    return out


def deviations(job: Job) -> Document:
    """条文の採否一覧 (deviations.docx): every clause adopted or not and why, every act's decision, the relaxations."""
    title = "条文の採否一覧（採用した条文・採用しない条文と理由）"
    blocks = title_blocks(job, title)
    blocks.append(Paragraph("本キットの条文のすべてについて、この業務で採用したかどうかと、それを決めた回答又は理由を示します。"
                            "緩和した事項と外した条文は、個人情報保護担当課と協議し、その意見を記録してください。"))
    blocks += party_blocks(job)
    blocks.append(Heading("条文の採否", 1))
    blocks.append(Table(("条文", "採否", "文言", "決めた回答・理由"), tuple(adoption_rows(job)), (22, 17, 18, 43)))
    blocks += kind_blocks(job)
    blocks += destruction_blocks(job)
    blocks += device_blocks(job)
    blocks += visit_blocks(job)
    blocks += route_blocks(job)
    blocks.append(Heading("行為ごとの扱い", 1))
    blocks.append(Paragraph("特記事項、遵守確認表、様式及び監督計画は、次の扱いで一致させています。"))
    blocks.append(Table(("行為", "この業務での扱い", "決めた回答"), tuple(act_rows(job)), (22, 28, 50)))
    blocks.append(Heading("回答により緩和した事項", 1))
    relaxed = relaxations(job)
    if relaxed:
        blocks.append(Table(("緩和した事項", "理由", "個人情報保護担当課の意見"),
                            tuple((what, why, "") for what, why in relaxed), (34, 40, 26)))
    else:
        blocks.append(Paragraph("ありません（既定の条文をすべて採用し、持出し・複製・再委託などを認めていません）。"))
    blocks += wording_blocks(job)
    added = additions(job)
    if added:
        blocks.append(Heading("追加した遵守事項", 1))
        blocks.append(Paragraph("次の号はモデルの条文になく、この業務のために追加しました。個人情報保護担当課と協議してください。"))
        blocks.append(Table(("条・号", "追加した遵守事項", "個人情報保護担当課の意見"), tuple(added), (15, 55, 30)))
    local = [c for c in job.corpus.clauses if c.get("local")]
    if local:
        blocks += local_additions(job, local)
    return job_document(job, "deviations.docx", title, blocks, "deviations")


def party_blocks(job: Job) -> list[Block]:
    """相手方ごとの文書: the counterparties of a job let to several, which one this set is for, and how each
    count was taken (issue 26 item 5)."""
    info = dict(job.answers.party) or (parties.party_info(job.answers.values, 0, "") | {"number": 0}
                                       if parties.rows(job.answers.values) else {})
    if not info:
        return []
    mine = info["number"]
    rows = tuple((str(n), p["name"] + ("（この一組）" if n == mine else ""), p["address"] or "―", f"{p['record_count']:,}人",
                  "相手方の件数" if p["counted"] else "業務全体の件数（行に件数なし）")
                 for n, p in enumerate(info["parties"], start=1))
    whose = (f"この一組は{info['of']}者のうち{mine}番目の{quoted(info['name'])}の分です。" if mine
             else "相手方ごとの1組ずつは、文書一式（documents.zip）の相手方ごとのフォルダにあります。")
    blocks: list[Block] = [
        Heading("相手方ごとの文書", 1),
        Paragraph(reword(job.corpus, job.context, f"この業務は、同じ内容で次の{info['of']}者と別々に契約します。文書と業務記録は"
                         "相手方ごとに1組ずつ作り、") + whose  # the name typed stays as typed (never reworded)
                  + reword(job.corpus, job.context, f"取扱件数による実地調査の要否と監督計画は相手方ごとに決めています。"
                           f"業務全体の取扱件数は{info['total']:,}人です。")),
        Table(("番号", "相手方", "所在地", "取扱件数", "件数の出所"), rows, (8, 34, 28, 12, 18))]
    if info.get("by_year"):
        blocks.append(Paragraph(reword(job.corpus, job.context,
            "回答の「年度ごとの人数」は業務全体の人数なので、業務全体と件数が異なる相手方の監督計画には使わず、"
            "その相手方の件数で判断しています。")))
    named = info["contractor_answer"]
    if named and named not in {p["name"] for p in info["parties"]}:
        blocks.append(Paragraph(reword(job.corpus, job.context, "回答の「受託者名」") + quoted(named)  # as typed
                                + "は、相手方ごとの名称に置き換えたため、文書には使っていません。"))
    return blocks


def route_text(job: Job) -> str:
    """Why the contractor's checklists are the light ones, or which criterion kept the full set (checklists/light.yml)."""
    data = job.corpus.data.get("light_route") or {}
    criteria = light_criteria(job.corpus, job.context)
    if job.context.get("light_route"):
        count = max(len(checklist_rows(job, phase)) for phase in ("before", "after"))
        text = str(data["reason"]).format(criteria="、".join(f"「{label}」" for label, _ in criteria), count=count)
    elif all(holds for _, holds in criteria):  # the light route was offered and declined (full_checklists)
        text = str(data.get("declined", "")).format(criteria="、".join(f"「{label}」" for label, _ in criteria))
    else:
        text = str(data.get("not_light", "")).format(failed="、".join(f"「{label}」" for label, holds in criteria if not holds))
    return reword(job.corpus, job.context, text)


def route_blocks(job: Job) -> list[Block]:
    """遵守確認表の範囲: the light route and why it applied, or why the full checklists are used."""
    if not (job.corpus.data.get("light_route") or {}).get("criteria"):
        return []
    return [Heading("遵守確認表の範囲", 1), Paragraph(route_text(job))]


def kind_rows(job: Job) -> list[tuple[str, str, str, str]]:
    """(質問, 類型による設定, この業務の回答, 設定した類型) for every answer the chosen kinds preset."""
    c, values = job.corpus, job.answers.values
    labels, choices = c.labels(), c.choice_labels()
    names = {k["id"]: k["label"] for k in kinds(c)}

    def say(text: str) -> str:  # corpus wording: 指定管理者 for designated jobs
        return reword(c, job.context, text)

    rows: list[tuple[str, str, str, str]] = []
    for key, (preset, by) in merge_presets(c, chosen(c, values)).items():
        if key not in values and c.question(key)["type"] != "multi":
            answer = "（この業務では問われない質問）"
        else:
            value = values.get(key, [])
            shown = display_value(value, choices.get(key, {}))
            answer = "類型のとおり" if value == preset else f"変更：{shown}"
        rows.append((say(labels.get(key, key)), say(display_value(preset, choices.get(key, {}))), say(answer),
                     "、".join(names[k] for k in by)))
    return rows


def kind_blocks(job: Job) -> list[Block]:
    """業務の類型: the kinds chosen and the answers they preset (kept or changed by the user)."""
    names = [k["label"] for k in kinds(job.corpus) if k["id"] in chosen(job.corpus, job.answers.values)]
    blocks: list[Block] = [Heading("業務の類型", 1)]
    if not names:
        blocks.append(Paragraph("業務の類型は選ばれていません。各質問の回答だけで条文を選んでいます。"))
        return blocks
    blocks.append(Paragraph(f"この業務の類型：{'、'.join(names)}。類型は次の回答を仮に設定し、"
                            "担当者が確かめて残すか変えました。条文は確かめた後の回答で選んでいます。"))
    rows = kind_rows(job)
    if rows:
        blocks.append(Table(("質問", "類型による設定", "この業務の回答", "設定した類型"), tuple(rows), (30, 20, 28, 22)))
    return blocks


def left_out_by_kind(job: Job) -> dict[str, str]:
    """Why a destruction-only job leaves an article out (kinds.yml ``left_out`` ``clauses``): its questions are not asked."""
    if not job.context.get("destruction_only"):
        return {}
    kind = next(k for k in kinds(job.corpus) if k.get("destruction"))
    return {cid: reword(job.corpus, job.context, f"記録・媒体の廃棄だけの業務のため、含めていません。{d['why']}。")
            for d in kind.get("left_out") or [] for cid in d.get("clauses") or []}


def destruction_blocks(job: Job) -> list[Block]:
    """記録・媒体の廃棄の業務 (issue 26): the media and where they are destroyed, what was assumed when their content
    cannot be known and why, and in a destruction-only job each duty left out with why (kinds.yml ``left_out``)."""
    c, v = job.corpus, job.context
    if not v.get("destruction_job"):
        return []
    choices = c.choice_labels()
    numbers = {s.clause["id"]: s.number for s in job.selected}
    media = "、".join(choices["disposal_media"][m] for m in v.get("disposal_media") or [])
    options = set(v.get("disposal_options") or [])
    texts = [f"廃棄する資料・記録媒体（回答）：{media}。特記事項第{numbers['media-destruction']}条が、種類ごとの処理の方法を定めています"
             "（SSD などのフラッシュメモリは消磁では情報が消えないため、消磁による処理を認めていません）。",
             "作業場所に受託者の事業所があるため、廃棄対象物は施錠又は封をした容器で運び、引渡しから処理までの受渡しの経過を記録させます。"
             if "contractor_premises" in (v.get("work_places") or []) else
             "作業場所に受託者の事業所がないため、廃棄対象物を庁舎・施設の外へ出さず、持ち込む移動式の破砕装置などで処理させます。",
             ("委託元が認めた媒体の上書き消去を認めています（消去した後も物理的に破壊させます）。" if "overwrite" in options
              else "受託者は媒体を機器に接続しません（上書き消去を認めていません）。")
             + ("消去を確かめた媒体の再使用・売却を認めています。" if {"overwrite", "reuse"} <= options
                else "廃棄対象物とその部品の再使用・売却・譲渡を禁じています。")]
    if v.get("disposal_contents_known"):
        texts.append("媒体に記録された情報の内容と本人の数は分かっていると回答されたため、回答の秘匿性と件数によっています。")
    else:
        secrecy = choices["secrecy"].get(v.get("secrecy"), "").split("（")[0]
        texts.append("媒体に記録された情報の内容と本人の数は、確かめるには記録された情報を読むことになるため、確かめていません。"
                     f"このため、媒体が使われていた情報システムのうち最も秘匿性の高い情報（回答：{secrecy}）が、最も多い本人の数"
                     f"（{int(v.get('record_count') or 0):,}人）について記録されているものと仮定し、特記事項、遵守確認表及び監督計画"
                     "（実地調査の要否など）をこの仮定で作りました。")
    blocks: list[Block] = [Heading("記録・媒体の廃棄の業務", 1), *(Paragraph(reword(c, v, t)) for t in texts)]
    if v.get("destruction_only"):
        kind = next(k for k in kinds(c) if k.get("destruction"))  # the kind marked destruction (kinds.yml)
        blocks.append(Paragraph("廃棄だけの業務で、受託者は廃棄対象物の内容を読まないため、次の義務は特記事項に置いていません"
                                "（遵守確認表と監督計画にも載せていません）。"))
        blocks.append(Table(("置かない義務", "理由"), tuple((reword(c, v, d["duty"]), reword(c, v, d["why"]))
                                                       for d in kind.get("left_out") or []), (40, 60)))
    return blocks


def device_rows(job: Job) -> list[tuple[str, str, str]]:
    """(端末・システム, 用意する者, 設定・管理する者) for every device and system of the job."""
    parties = job.corpus.devices.get("parties") or {}

    def say(text: str) -> str:  # corpus wording: 指定管理者 for designated jobs
        return reword(job.corpus, job.context, text)
    return [(say(d.label), say(parties[d.provided_by]), say(parties[d.managed_by])) for d in job.devices]


def duty_rows(job: Job) -> list[tuple[str, str, str]]:
    """(設定の義務, 条文, 置かない理由) for each configuration duty this job leaves out (devices.yml ``duties``)."""
    numbers = {s.clause["id"]: s.number for s in job.selected}
    managers = "、".join(dict.fromkeys((job.corpus.devices.get("parties") or {})[d.managed_by] for d in job.devices))
    why = reword(job.corpus, job.context, f"設定・管理するのは{managers}で、受託者ではないため")
    return [(d["label"], f"第{numbers[d['clause']]}条（{job.corpus.clause(d['clause'])['title']}）", why)
            for d in duties_left_out(job.corpus.devices, job.context, set(numbers))]


def device_blocks(job: Job) -> list[Block]:
    """端末・システムと設定の義務: who provides and manages each device, and the configuration duties left out."""
    if not job.devices:
        return []
    blocks: list[Block] = [Heading("端末・システムと設定の義務", 1),
                           Paragraph("暗号化、認証、不正プログラム対策、アクセス記録の分析などの設定の義務は、その端末・システムを"
                                     "設定・管理する者に置いています。"),
                           Table(("端末・システム", "用意する者", "設定・管理する者"), tuple(device_rows(job)), (50, 25, 25))]
    left_out = duty_rows(job)
    if left_out:
        blocks.append(Paragraph(reword(job.corpus, job.context,
                                       "受託者が設定・管理する端末・システムがないため、次の設定の義務はこの業務の特記事項に"
                                       "置いていません。受託者には、委託元の設定に従い変更しないこと、紛失や異常に気付いたときは"
                                       "委託元が利用の停止やデータの消去をできるよう直ちに報告することを求めています。")))
        blocks.append(Table(("設定の義務", "条文", "置かない理由"), tuple(left_out), (34, 22, 44)))
    return blocks


PREMISES_DUTY = {"contractor": "置く（施錠、入退室の管理と記録、耐火性の保管庫などの防災の設備）",
                 "authority": "委託元の入退館の手続と施設の定めに従う"}


def visit_blocks(job: Job) -> list[Block]:
    """訪問先での取扱い (issue 26.3): each place with who controls it and whether premises duties apply there, what
    governs the visited places instead, whether the workers may go home with the day's papers, and for a survey
    job who is asked and whether the contractor has an interest of its own."""
    if not job.context.get("place_visited_third_party"):
        return []
    r = lambda t: reword(job.corpus, job.context, t)  # noqa: E731
    controls = job.corpus.data["places"]["controls"]
    rows = tuple((r(p.label), r(controls[p.control]), r(PREMISES_DUTY.get(p.control, "置かない（受託者が管理する場所ではないため）")))
                 for p in job.places)
    home = job.context.get("visits_direct_home")
    blocks: list[Block] = [
        Heading("訪問先での取扱い", 1),
        Paragraph(r("施錠、入退室の管理、防災の設備の義務は、受託者が管理する場所にだけ置いています。住宅、病院、福祉施設などの"
                    "訪問先は受託者が管理しないため作業場所等に含めず、その代わりに、携行する資料等をその日の訪問に必要なものに限り、"
                    "施錠できる鞄に収めて身体から離さず、訪問先や車内に置いたままにしないことを定めています（作業場所の特定の条）。")),
        Table(("場所", "管理する者", "施設の義務"), rows, (34, 28, 38)),
        Paragraph("訪問を終えた後の資料等：" + (
            "直行・直帰の日に限り、施錠した鞄に収めたまま開けずに自宅に持ち帰り、次の業務日の始めに作業場所に戻して数を確かめる"
            "（「直行・直帰を認めますか」に「はい」と答えたため）。" if home else
            "その日のうちに作業場所等に戻す（直行・直帰を認めると回答されていないため）。"))]
    if job.context.get("survey_job"):
        labels = job.corpus.choice_labels().get("survey_sources", {})
        asked = "、".join(labels.get(v, v) for v in job.context.get("survey_sources") or [])
        blocks.append(Paragraph(r(f"訪問調査：聞き取る相手は{asked}。調査票の事項の範囲の聞き取りは業務そのものとして特記事項で指示し、"
                                  "訪問ごとの承諾は求めない。") + (
            r("受託者が調査の対象者に自らサービスを提供し又は営業する立場にあると回答されたため、調査で知った情報の自らの事業への"
              "利用、調査の場での勧誘、利用者の記録との混在を禁じている。") if job.context.get("survey_own_interest") else "")))
    return blocks


def additions(job: Job) -> list[tuple[str, str, str]]:
    """The 号 the user added (``rows_from`` articles), as (第N条第1項第n号, text, "") for the 採否一覧."""
    out = []
    for s in job.selected:
        if s.clause.get("rows_from"):
            art = article(job, s)
            for label, text in art.clauses[-1].items:
                out.append((f"{art.number}{label}", text, ""))
    return out


def local_additions(job: Job, local: list[Mapping[str, Any]]) -> list[Block]:
    """The edition's own articles (団体の追加条文) in the 採否一覧: adopted as which article, or why not."""
    numbers = {s.clause["id"]: s.number for s in job.selected}
    excluded = {c["id"]: why for c, why in job.excluded}

    def items(clause_id: str) -> int:
        return sum(1 for i in job.corpus.items if i["clause"] == clause_id and evaluate(i.get("applies_when"), job.context))

    rows = tuple((c["title"], f"第{numbers[c['id']]}条として採用" if c["id"] in numbers else "採用しない",
                  "必須" if c["inclusion"] == "required" else "既定で含める", excluded.get(c["id"], ""),
                  str(items(c["id"]) if c["id"] in numbers else 0)) for c in local)
    return [Heading(f"団体が追加した条文（{job.corpus.edition['org_name']}の独自の条文）", 1),
            Paragraph(f"次の条文は、{job.corpus.edition['org_name']}が団体の設定（edition.js 又は edition.yml）で"
                      "追加したもので、コーパスの条文ではありません。"),
            Table(("条文", "採否", "区分", "外した理由", "確認項目の数"), rows, (25, 20, 15, 25, 15))]


def wording_rows(job: Job) -> list[tuple[str, str, str, str, str]]:
    """(条・項, 区分・理由, モデルの文言, この業務の文言, "") for every 項/号 whose wording is not the kit's model: the
    edition's 約款 (団体の約款の文言) and this job's rewordings, with the text they replace beside them."""
    rows = []
    for s in job.selected:
        for e in paragraph_entries(job, s):
            if e["source"] == "edition":
                rows.append((e["label"], SOURCES["edition"], e["original"], e["text"], ""))
            elif e["source"] == "job":
                over = "（団体の約款の文言を置き換え）" if e["original"] else ""
                why = quoted(job.answers.reworded[e["key"]]["reason"])
                rows.append((e["label"], f"{SOURCES['job']}{over}。理由：{why}", e["model"], e["text"], ""))
    return rows


def wording_blocks(job: Job) -> list[Block]:
    """条文の文言の変更: what the privacy section approves (the model text beside the changed one), and the
    rewordings the documents do not use (the 項 is not in this job, or no longer in the kit)."""
    rows = wording_rows(job)
    used = {e["key"] for s in job.selected for e in paragraph_entries(job, s)}
    gone = unplaced(job.corpus, job.answers.reworded)
    idle = [paragraph_label(job.corpus, k) for k in job.answers.reworded
            if k not in used and locate(job.corpus, k) is not None]
    if not (rows or gone or idle):
        return []
    blocks: list[Block] = [Heading("条文の文言の変更", 1)]
    if rows:
        blocks.append(Paragraph("次の項・号は、モデルの条文と違う文言です。「団体の約款の文言」は団体の設定で団体の約款に置き換えたもの、"
                                "「この業務で変更」は担当課がこの業務のために変えたものです。行為の扱い、遵守確認表の項目及び監督計画は、"
                                "文言を変えても回答から決まったままです。モデルの文言と比べ、個人情報保護担当課が承認してください。"))
        blocks.append(Table(("条・項", "区分・理由", "モデルの文言", "この業務の文言", "個人情報保護担当課の意見"),
                            tuple(rows), (12, 18, 27, 27, 16)))
    if idle:
        blocks.append(Paragraph("次の項の文言の変更は、この業務の特記事項に入らない項のものなので使っていません（回答ファイルには残しています）："
                                + "、".join(idle) + "。"))
    blocks += [Paragraph(g) for g in gone]
    return blocks
