"""Checks of clauses/questions.yml and clauses/acts.yml, and of conditions against the keys they name."""
from __future__ import annotations

from typing import Any

from itaku.acts import ACT_VALUES, PREFIX as ACT_PREFIX
from itaku.build.validate_base import KEY_RE, unique
from itaku.devices import NONE_KEY, PARTIES, PREFIX as DEVICE_PREFIX
from itaku.places import CONTROLS, PREFIX as PLACE_PREFIX, VISITS
from itaku.conditions import ConditionError, check as check_condition, keys as condition_keys

QUESTION_TYPES = ("text", "date", "choice", "multi", "bool", "integer", "list")
COLUMN_TYPES = ("text", "choice", "date", "integer")  # cells of a list question


def validate_questions(data: dict[str, Any], problems: list[str]) -> dict[str, dict[str, Any]]:
    where = "clauses/questions.yml"
    known: dict[str, dict[str, Any]] = {}
    if not isinstance(data.get("schema_version"), int):
        problems.append(f"{where}: schema_version（整数）が必要です")
    for step in data.get("steps") or []:
        if not step.get("id") or not step.get("title"):
            problems.append(f"{where}: ステップには id と title が必要です: {step!r}")
        in_step: set[str] = set()
        for q in step.get("questions") or []:
            key = q.get("key")
            if not isinstance(key, str) or not KEY_RE.match(key):
                problems.append(f"{where}: 質問のキー「{key}」は英小文字の snake_case にしてください")
                continue
            if key in known:
                problems.append(f"{where}: 質問のキー「{key}」が重複しています")
            if q.get("type") not in QUESTION_TYPES:
                problems.append(f"{where}: {key}: type は {', '.join(QUESTION_TYPES)} のいずれかです")
            if not q.get("label") or not q.get("help"):
                problems.append(f"{where}: {key}: label と help（日本語の説明）が必要です")
            if q.get("type") in ("choice", "multi"):
                values = [c.get("value") for c in q.get("choices") or []]
                if not values or any(not c.get("label") for c in q.get("choices") or []):
                    problems.append(f"{where}: {key}: choices（value と label）が必要です")
                if len(set(values)) != len(values):
                    problems.append(f"{where}: {key}: 選択肢の value が重複しています")
                default = q.get("default")
                defaults = default if isinstance(default, list) else [default]
                if default is not None and any(d not in values for d in defaults):
                    problems.append(f"{where}: {key}: 既定値「{default}」が選択肢にありません")
            if q.get("type") == "list":
                _list_columns(q, f"{where}: {key}", problems)
            parent = q.get("follows")
            if parent is not None and (parent not in in_step or known[parent].get("follows")):
                problems.append(f"{where}: {key}: follows には同じステップで前にある、他に従わない質問のキーを書いてください（「{parent}」）")
            if "show_when" in q:  # may look at derived keys (computed from the answers before it)
                derived = {d.get("key"): {"key": d.get("key"), "type": "derived", "values": d.get("values", [])}
                           for d in data.get("derived") or []}
                validate_condition(q["show_when"], f"{where}: {key}: show_when", {**derived, **known}, problems)
            known[key] = q
            in_step.add(key)
    for d in data.get("derived") or []:
        key = d.get("key")
        if key in known:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        known[key] = {"key": key, "type": "derived", "values": d.get("values", []), "label": d.get("label", key)}
    for q in [q for q in known.values() if q.get("type") == "list"]:
        for c in [c for c in q.get("columns") or [] if isinstance(c, dict) and "within" in c]:
            _within(c, f"{where}: {q['key']}: 列「{c.get('key')}」", known, problems)
    if not known:
        problems.append(f"{where}: 質問がありません")
    return known


def _list_columns(q: dict[str, Any], where: str, problems: list[str]) -> None:
    """A list question's columns: keys, labels, types (text, choice, date or integer) and choices."""
    columns = q.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(f"{where}: 表の質問には columns（列のリスト）が必要です")
        return
    seen: set[str] = set()
    for c in columns:
        ckey = c.get("key") if isinstance(c, dict) else None
        if not isinstance(ckey, str) or not KEY_RE.match(ckey) or ckey in seen:
            problems.append(f"{where}: 列のキー「{ckey}」は重複しない英小文字の snake_case にしてください")
            continue
        seen.add(ckey)
        if not c.get("label") or c.get("type") not in COLUMN_TYPES:
            problems.append(f"{where}: 列「{ckey}」には label と type（{', '.join(COLUMN_TYPES)}）が必要です")
        if c.get("type") == "choice":
            values = [ch.get("value") for ch in c.get("choices") or []]
            if not values or c.get("default", values[0]) not in values:
                problems.append(f"{where}: 列「{ckey}」: choices と、その中の既定値が必要です")
    if not isinstance(q.get("max_items", 1), int) or q.get("max_items", 1) < 1:
        problems.append(f"{where}: max_items は1以上の整数にしてください")


def _within(column: dict[str, Any], where: str, questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """``within``: the column's choices are limited to what a multi question ticked (generator.js disables the
    others); every non-blank choice must be one of that question's."""
    values = [ch.get("value") for ch in column.get("choices") or []]
    q = questions.get(column["within"]) or {}
    if q.get("type") != "multi" or not {v for v in values if v} <= {ch.get("value") for ch in q.get("choices") or []}:
        problems.append(f"{where}: within は複数選択の質問で、列の空欄以外の選択肢がすべてその質問の選択肢にあること")


def validate_condition(cond: Any, where: str, questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    try:
        check_condition(cond)
    except ConditionError as exc:
        problems.append(f"{where}: {exc}")
        return
    for op, key, value in condition_keys(cond):
        q = questions.get(key)
        if q is None:
            problems.append(f"{where}: 条件のキー「{key}」は questions.yml にありません")
            continue
        qtype = q.get("type")
        values = value if op == "in" else [value]
        if qtype == "list":
            problems.append(f"{where}: 表の質問「{key}」は条件に使えません。questions.yml の derived に要約のキーを作ってください")
            continue
        if qtype in ("choice", "multi"):
            allowed = [c.get("value") for c in q.get("choices") or []]
            for v in values:
                if v not in allowed:
                    problems.append(f"{where}: 「{key}」に値「{v}」の選択肢はありません")
        elif qtype == "derived":
            for v in values:
                if v not in q.get("values", []):
                    problems.append(f"{where}: 派生キー「{key}」の値「{v}」は定義されていません")
        elif qtype == "bool" and (op != "eq" or not isinstance(value, bool)):
            problems.append(f"{where}: はい/いいえの質問「{key}」は eq と true/false で比べてください")
        elif op == "gte" and qtype != "integer":
            problems.append(f"{where}: gte は整数の質問にだけ使えます（「{key}」）")


# ---------------------------------------------------------------- acts

def validate_acts(data: dict[str, Any], questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """clauses/acts.yml; adds the derived keys ``act_<id>`` to ``questions`` for later conditions."""
    where = "clauses/acts.yml"
    names = data.get("values") or {}
    if not isinstance(names, dict) or sorted(names) != sorted(ACT_VALUES):
        problems.append(f"{where}: values には {', '.join(ACT_VALUES)} の{len(ACT_VALUES)}つの値と日本語の名前を書いてください")
    acts = data.get("acts")
    if not isinstance(acts, list) or not acts:
        problems.append(f"{where}: acts（行為のリスト）が必要です")
        return
    unique([a.get("id") if isinstance(a, dict) else None for a in acts], f"{where} の行為 id", problems)
    for act in acts:
        if not isinstance(act, dict):
            problems.append(f"{where}: 行為は対応表で書いてください: {act!r}")
            continue
        aid = act.get("id")
        if not isinstance(aid, str) or not KEY_RE.match(aid):
            problems.append(f"{where}: 行為 id「{aid}」は英小文字の snake_case にしてください")
            continue
        if not act.get("label"):
            problems.append(f"{where}: {aid}: label が必要です")
        decisions = act.get("decisions")
        if not isinstance(decisions, list) or not decisions:
            problems.append(f"{where}: {aid}: decisions（判断のリスト）が必要です")
            continue
        for n, d in enumerate(decisions):
            spot = f"{where}: {aid}: 判断{n + 1}"
            if not isinstance(d, dict):
                problems.append(f"{spot}: 対応表で書いてください")
                continue
            if d.get("value") not in ACT_VALUES:
                problems.append(f"{spot}: value は {', '.join(ACT_VALUES)} のいずれかです（「{d.get('value')}」）")
            if not str(d.get("reason") or "").strip():
                problems.append(f"{spot}: reason（どの回答で決まったか）が必要です")
            last = n == len(decisions) - 1
            if last and d.get("when") is not None:
                problems.append(f"{spot}: 最後の判断は when を持たない既定の判断にしてください")
            elif not last and d.get("when") is None:
                problems.append(f"{spot}: 最後以外の判断には when（条件）が必要です")
            elif d.get("when") is not None:
                validate_condition(d["when"], spot, questions, problems)
        key = ACT_PREFIX + aid
        if key in questions:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        questions[key] = {"key": key, "type": "derived", "values": list(ACT_VALUES), "label": f"{act.get('label')}の扱い"}


# ---------------------------------------------------------------- places

def validate_places(data: dict[str, Any], questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """clauses/places.yml; adds the derived keys ``place_…`` to ``questions`` for later conditions."""
    where = "clauses/places.yml"
    for name, fixed in (("controls", CONTROLS), ("visits", VISITS)):
        if sorted(data.get(name) or {}) != sorted(fixed):
            problems.append(f"{where}: {name} には {', '.join(fixed)} と日本語の名前を書いてください")
    places = data.get("places")
    if not isinstance(places, list) or not places:
        problems.append(f"{where}: places（場所のリスト）が必要です")
        return
    unique([p.get("id") if isinstance(p, dict) else None for p in places], f"{where} の場所 id", problems)
    for p in places:
        if not isinstance(p, dict) or not KEY_RE.match(str(p.get("id") or "")):
            problems.append(f"{where}: 場所には英小文字の snake_case の id が必要です: {p!r}")
            continue
        spot = f"{where}: {p['id']}"
        if not p.get("label"):
            problems.append(f"{spot}: label が必要です")
        if p.get("control") not in CONTROLS:
            problems.append(f"{spot}: control は {', '.join(CONTROLS)} のいずれかです（「{p.get('control')}」）")
        if p.get("visit") not in VISITS:
            problems.append(f"{spot}: visit は {', '.join(VISITS)} のいずれかです（「{p.get('visit')}」）")
        if p.get("when") is None:
            problems.append(f"{spot}: when（どの回答でこの場所になるか）が必要です")
        else:
            validate_condition(p["when"], spot, questions, problems)
    for key, spec in (data.get("keys") or {}).items():
        if not str(key).startswith(PLACE_PREFIX) or not isinstance(spec, dict) or spec.get("control") not in CONTROLS:
            problems.append(f"{where}: 派生キー「{key}」は place_ で始め、control を持たせてください")
            continue
        if key in questions:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        questions[key] = {"key": key, "type": "derived", "values": [True, False], "label": spec.get("label", key)}


# ---------------------------------------------------------------- devices and systems

def validate_devices(data: dict[str, Any], questions: dict[str, dict[str, Any]], problems: list[str]) -> None:
    """clauses/devices.yml; adds the derived keys ``device_…`` to ``questions`` for later conditions."""
    where = "clauses/devices.yml"
    if sorted(data.get("parties") or {}) != sorted(PARTIES):
        problems.append(f"{where}: parties には {', '.join(PARTIES)} と日本語の名前を書いてください")
    devices = data.get("devices")
    if not isinstance(devices, list) or not devices:
        problems.append(f"{where}: devices（端末・システムのリスト）が必要です")
        return
    ids = unique([d.get("id") if isinstance(d, dict) else None for d in devices], f"{where} の端末・システム id", problems)
    for d in devices:
        if not isinstance(d, dict) or not KEY_RE.match(str(d.get("id") or "")):
            problems.append(f"{where}: 端末・システムには英小文字の snake_case の id が必要です: {d!r}")
            continue
        spot = f"{where}: {d['id']}"
        if not d.get("label"):
            problems.append(f"{spot}: label が必要です")
        for name in ("provided_by", "managed_by"):
            if d.get(name) not in PARTIES:
                problems.append(f"{spot}: {name} は {', '.join(PARTIES)} のいずれかです（「{d.get(name)}」）")
        if d.get("when") is None:
            problems.append(f"{spot}: when（どの回答でこの端末・システムになるか）が必要です")
        else:
            validate_condition(d["when"], spot, questions, problems)
    for key, spec in (data.get("keys") or {}).items():
        named = spec.get("devices") if isinstance(spec, dict) else None
        if (not str(key).startswith(DEVICE_PREFIX) or not isinstance(spec, dict)
                or not (spec.get("managed_by") in PARTIES or spec.get("none_managed_by") in PARTIES
                        or (isinstance(named, list) and named and set(named) <= set(ids)))):
            problems.append(f"{where}: 派生キー「{key}」は device_ で始め、managed_by、none_managed_by 又は devices（端末・システム id）"
                            "を持たせてください")
            continue
        if key in questions:
            problems.append(f"{where}: 派生キー「{key}」が質問のキーと重複しています")
        questions[key] = {"key": key, "type": "derived", "values": [True, False], "label": spec.get("label", key)}
    for duty in data.get("duties") or []:
        if not isinstance(duty, dict) or not duty.get("label") or not duty.get("clause"):
            problems.append(f"{where}: duties の各行には label と clause（条文 id）が必要です: {duty!r}")
    if NONE_KEY not in (data.get("keys") or {}):
        problems.append(f"{where}: 派生キー「{NONE_KEY}」が必要です（条文の採否一覧が読みます）")
