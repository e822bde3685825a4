"""Devices and systems by owner (issue 25): configuration duties only for what the contractor manages; the
authority's devices get their own duties (follow its settings, alter nothing, report a loss at once)."""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from itaku import devices as devices_module
from itaku.answers import validate
from itaku.checklists import applicable_items
from itaku.deviations import deviations, device_rows, duty_rows
from itaku.devices import duties_left_out
from itaku.job import Job, build_job
from itaku.model import Corpus
from itaku.supervision import plan_rows

from strategies import answers as answer_space, holds_over_answer_space, spec_texts

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    phases=[Phase.explicit, Phase.reuse, Phase.generate])

# Phrases only a configuration duty contains (encryption, MFA, anti-malware, access-log analysis, media limits).
CONFIG = ("不正プログラム対策ソフトウェア", "多要素認証", "アクセス記録を分析", "アクセス記録を少なくとも月1回分析", "設定を施すこと",
          "暗号化を施すこと", "電子データは暗号化し", "すべて暗号化すること", "アクセスの記録を保存", "書出しを技術的に制限",
          "識別符号を付与し", "必要な範囲に限るよう設定", "記録媒体及び端末の記憶装置を廃棄するときは")
CONFIG_ITEMS = {"security-01", "security-02", "security-03", "security-04", "security-11", "sensitive-01", "minimum-data-04"}
OWN_SERVICE = "cloud"  # the cloud article: the contractor's own use of a service it contracts (the provider runs the rest)
# A provider's own service (issue 26.2): the provider manages it whatever devices the users have, so the duties on
# 本サービス (its article, and the paragraphs of other articles written for it) are not device configuration duties.
PROVIDER_SERVICE, THE_SERVICE = "provider-service", "本サービス"
WIPE = "遠隔によるデータの消去"
KEEP_SETTINGS = "設定の変更、ソフトウェアの導入"


@pytest.fixture(scope="module")
def model(corpus) -> Corpus:
    return Corpus(corpus)


def example(model: Corpus, eid: str) -> dict[str, Any]:
    return dict(next(e for e in model.data["examples"] if e["id"] == eid)["answers"])



def manages(job: Job, party: str) -> bool:
    """Whether ``party`` manages a device of the job, read from the devices themselves (not the derived keys,
    so that a fault in the keys is caught)."""
    return any(d.managed_by == party for d in job.devices)


def prop_configuration_duties_follow_management(job: Job) -> list[str]:
    """No configuration duty for a device or system the contractor does not manage; the authority's devices get theirs."""
    problems: list[str] = []
    ids = {s.clause["id"] for s in job.selected}
    texts = spec_texts(job)
    if job.devices and not manages(job, "contractor"):
        problems += [f"受託者が管理する端末・システムがないのに {cid} に「{w}」: {t[:60]}"
                     for cid, t in texts if cid not in (OWN_SERVICE, PROVIDER_SERVICE) and THE_SERVICE not in t
                     for w in CONFIG if w in t]
        for phase in ("before", "after"):
            problems += [f"受託者が管理しない機器の設定の確認項目 {i}（{phase}）"
                         for i in applicable_items(job, phase) if i in CONFIG_ITEMS]
        problems += [f"監督計画が貸与端末の暗号化を確かめる: {w[:60]}" for _, w, _, _ in plan_rows(job) if "端末の暗号化" in w]
        if "security" in ids and not duty_rows(job):
            problems.append("置かなかった設定の義務が条文の採否一覧にない")
    elif manages(job, "contractor") and "security" in ids:
        if not any("不正プログラム対策ソフトウェア" in t for _, t in texts):
            problems.append("受託者が管理する端末があるのに端末の設定の義務がない")
        if duty_rows(job):
            problems.append("受託者が管理する端末があるのに、設定の義務を置かないと採否一覧にある")
    if manages(job, "authority") and "security" in ids:
        if not any(KEEP_SETTINGS in t for cid, t in texts if cid == "security"):
            problems.append("委託元の機器等の設定を変えない義務がない")
        if "security-12" not in applicable_items(job, "before"):
            problems.append("委託元の機器等の確認項目 security-12 がない")
    if any(d.id == "authority_devices" for d in job.devices) and "security" in ids:
        if not any(WIPE in t for _, t in texts):
            problems.append("貸与端末の紛失を直ちに報告し消去できるようにする義務がない")
    return problems


def _job(model: Corpus, raw: dict[str, Any], removed: dict[str, str] | None = None) -> Job:
    return build_job(model, validate(model, raw, removed))


def test_property_configuration_duties_follow_management(model):
    holds_over_answer_space(model, prop_configuration_duties_follow_management, SETTINGS)


def test_worked_examples_follow_management(model):
    for e in model.data["examples"]:
        job = _job(model, e["answers"], e.get("removed_clauses"))
        assert not prop_configuration_duties_follow_management(job), e["id"]


def test_a_planted_fault_is_caught(model, monkeypatch):
    """Planted fault: the derived keys say the contractor manages every job's devices. The documents then carry
    the configuration duties of the authority's tablets, and the property (which reads the devices) fails."""
    job = _job(model, example(model, "tablet-survey"))
    assert not prop_configuration_duties_follow_management(job)
    original = devices_module.context_keys

    def faulty(data: Any, chosen: Any) -> dict[str, bool]:
        keys = original(data, chosen)
        return {**keys, "device_contractor_managed": True, "device_contractor_manages_none": False} if chosen else keys
    monkeypatch.setattr("itaku.job.device_keys", faulty)
    problems = prop_configuration_duties_follow_management(_job(model, example(model, "tablet-survey")))
    assert any("不正プログラム対策ソフトウェア" in p for p in problems), problems
    assert any("security-04" in p for p in problems), problems
    assert any("必要な範囲に限るよう設定" in p for p in problems) and any("minimum-data-04" in p for p in problems)


def test_lent_tablets_example(model):
    job = _job(model, example(model, "tablet-survey"))
    assert [d.id for d in job.devices] == ["authority_devices"]
    texts = [t for _, t in spec_texts(job)]
    assert any(WIPE in t for t in texts) and any("甲が施した設定のまま使用し" in t for t in texts)
    # The authority sets the rights on its devices: the contractor asks for what each worker needs (minimum-data).
    assert any("権限の変更又は削除を求め" in t for t in texts)
    assert not any("必要な範囲に限るよう設定" in t for t in texts)
    assert not any("端末の暗号化と画面ロック" in w for _, w, _, _ in plan_rows(job))
    assert any("貸与した端末の設定が変えられていないこと" in w for _, w, _, _ in plan_rows(job))
    doc = deviations(job)
    heads = [getattr(b, "text", "") for b in doc.blocks]
    assert "端末・システムと設定の義務" in heads
    assert device_rows(job) == [("委託元が貸与する端末（タブレット端末・携帯端末など）", "委託元", "委託元")]
    rows = duty_rows(job)
    assert {r[0] for r in rows} >= {"多要素認証その他の認証の設定", "持ち出す端末の暗号化・画面ロック・紛失時の停止の設定"}
    # the authority disposes of its own tablets: no destruction 号 in the return article, and the 採否一覧 says so
    assert not any("記録媒体及び端末の記憶装置を廃棄するときは" in t for t in texts)
    assert any(r[0].startswith("受託者の記録媒体・端末の記憶装置の廃棄") for r in rows)
    assert all("委託元で、受託者ではないため" in r[2] for r in rows)


def test_the_contractors_own_devices_keep_every_duty(model):
    job = _job(model, example(model, "printing"))
    assert job.context["device_contractor_managed"] and not job.context["device_authority_managed"]
    assert duty_rows(job) == [] and not duties_left_out(model.devices, job.context, {"security"})
    assert {"security-01", "security-04"} <= set(applicable_items(job, "before"))
    assert "security-12" not in applicable_items(job, "before")
    assert any("記録媒体及び端末の記憶装置を廃棄するときは" in t for cid, t in spec_texts(job) if cid == "return-disposal")


def test_operating_the_authoritys_system_is_managing_it(model):
    job = _job(model, example(model, "juki-maintenance"))
    assert "operated_system" in {d.id for d in job.devices} and "authority_system" not in {d.id for d in job.devices}
    assert job.context["device_contractor_managed"]
    # an older file (no devices answer) operating a system without a cloud service keeps the remote-maintenance 項
    old = {k: v for k, v in example(model, "juki-maintenance").items() if k not in ("work_kinds", "devices")}
    old_job = _job(model, {**old, "remote_sites": []})
    assert [d.id for d in old_job.devices] == ["contractor_devices", "operated_other"]
    assert any("接続経路及び端末に限り" in t for _, t in spec_texts(old_job))


def test_both_kinds_of_device_get_both_sets_of_duties(model):
    raw = {**example(model, "printing"), "devices": ["contractor_devices", "authority_system"]}
    job = _job(model, raw)
    texts = [t for cid, t in spec_texts(job) if cid == "security"]
    assert any("不正プログラム対策ソフトウェア" in t for t in texts) and any(KEEP_SETTINGS in t for t in texts)
    assert not any(WIPE in t for t in texts)  # no lent terminal


def test_an_answer_naming_no_device_is_the_contractors(model):
    job = _job(model, {**example(model, "printing"), "devices": []})
    assert [d.id for d in job.devices] == ["contractor_devices"]


def test_kinds_preset_the_devices(model):
    from itaku.kinds import merge_presets
    assert merge_presets(model, ["lent_tablets"])["devices"][0] == ["authority_devices"]
    assert merge_presets(model, ["lent_tablets", "data_entry"])["devices"][0] == ["authority_devices"]
    assert merge_presets(model, ["system_operation"])["devices"][0] == ["contractor_devices", "authority_system"]


def test_the_providers_own_service_needs_no_per_connection_approval(model):
    """A SaaS the contractor provides and operates: no approval of each remote connection by the authority."""
    raw = {**example(model, "callcentre-saas"), "system_operation": True}
    job = _job(model, raw)
    assert "operated_other" in {d.id for d in job.devices} and not job.context["device_operated_authority_system"]
    assert not any("接続経路及び端末に限り" in t for _, t in spec_texts(job))
    authority = _job(model, {**raw, "devices": ["contractor_devices", "authority_system"]})
    assert any("接続経路及び端末に限り" in t for _, t in spec_texts(authority))
    assert any("接続経路及び端末に限り" in t for _, t in spec_texts(_job(model, example(model, "system-maintenance"))))
