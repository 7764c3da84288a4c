"""The declared Back Market settings this client reads: BackPricer (off by default) and the task check interval."""

from __future__ import annotations

from grading_station.backmarket.regions import settings_from

from grading_station.config import Config, setting


def _config(**values) -> Config:
    config = Config(None)
    for key, value in {
        "backmarket.company": "Acme",
        "backmarket.contact_email": "ops@acme.test",
        **values,
    }.items():
        config.set(key, value)
    return config


def test_the_backpricer_is_off_unless_the_seller_turns_it_on():
    assert setting("backmarket.backpricer").default is False
    assert settings_from(_config()).backpricer is False
    assert settings_from(_config(**{"backmarket.backpricer": True})).backpricer is True


def test_batch_tasks_are_first_checked_after_tens_of_seconds_by_default():
    assert settings_from(_config()).task_poll == 30.0  # a task takes ~5 minutes (API-NOTES §4)
    assert settings_from(_config(**{"backmarket.task_poll_seconds": 0.5})).task_poll == 0.5


def test_the_user_agent_carries_the_app_version_in_the_integration_name(monkeypatch):
    from grading_station.backmarket import regions

    settings = settings_from(_config())
    monkeypatch.setattr(regions, "__version__", "1.2.0")
    assert settings.user_agent == "BM-Acme-GradingStation_v1.2.0;ops@acme.test"
    monkeypatch.setattr(regions, "__version__", "1.2.0.dev3+g5e1-dirty")  # a local build
    assert settings.user_agent == "BM-Acme-GradingStation_v1.2.0.dev3.g5e1.dirty;ops@acme.test"
