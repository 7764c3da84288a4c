"""Secrets: kept in the keyring, never in the settings file nor the log."""

from __future__ import annotations

import logging

import keyring.errors
import pytest

from grading_station.config import Config
from grading_station.errors import KnownError
from grading_station.secrets import MASK_TEXT, SERVICE, LogMask, MemoryKeyring, Secret, SecretStore


@pytest.fixture
def mask():
    mask = LogMask()
    yield mask
    mask.uninstall()


def test_secrets_round_trip_in_the_keyring(mask):
    backend = MemoryKeyring()
    store = SecretStore(backend, mask)
    assert store.get(Secret.ODOO_PASSWORD) == ""
    store.set(Secret.ODOO_PASSWORD, "s3cret-pass")
    assert backend.get_password(SERVICE, "odoo.password") == "s3cret-pass"
    assert store.get(Secret.ODOO_PASSWORD) == "s3cret-pass"
    store.set(Secret.ODOO_PASSWORD, "")  # empty removes it
    assert store.get(Secret.ODOO_PASSWORD) == ""
    store.delete(Secret.ODOO_PASSWORD)  # deleting twice is fine


def test_null_backend_used_by_tests_stores_nothing(mask):
    store = SecretStore(None, mask)  # PYTHON_KEYRING_BACKEND=null in tests
    store.set(Secret.BACKMARKET_TOKEN, "token-value")
    assert store.get(Secret.BACKMARKET_TOKEN) == ""


def test_a_secret_never_reaches_the_config_file_or_the_log(paths, mask, tmp_path):
    store = SecretStore(MemoryKeyring(), mask)
    config = Config.load(paths.config_file)
    config.set("odoo.login", "admin@example.com")
    store.set(Secret.ODOO_API_KEY, "8f2a-very-secret-key")
    config.save()

    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("grading_station.odoo")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("some.library").setLevel(logging.INFO)
    try:
        logger.info("connecting with key %s", store.get(Secret.ODOO_API_KEY))
        logging.getLogger("some.library").addHandler(handler)
        logging.getLogger("some.library").info("auth payload: {'password': '8f2a-very-secret-key'}")
        try:
            raise RuntimeError("refused key 8f2a-very-secret-key")
        except RuntimeError:
            logger.info("call failed", exc_info=True)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        logging.getLogger("some.library").setLevel(logging.NOTSET)
        logging.getLogger("some.library").removeHandler(handler)
        handler.close()

    written = log_file.read_text(encoding="utf-8")
    assert "8f2a-very-secret-key" not in written
    assert written.count(MASK_TEXT) >= 3 and "RuntimeError" in written
    assert "8f2a" not in paths.config_file.read_text(encoding="utf-8")
    assert "admin@example.com" in paths.config_file.read_text(encoding="utf-8")


def test_keyring_failure_is_a_known_error(mask):
    class Locked(MemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("locked")

    with pytest.raises(KnownError, match="keyring .* is locked or not answering"):
        SecretStore(Locked(), mask).get(Secret.ODOO_PASSWORD)


def test_the_memory_keyring_is_never_chosen_by_keyring_itself():
    from keyring.backend import KeyringBackend

    viable = list(KeyringBackend.get_viable_backends())
    assert MemoryKeyring in viable
    assert max(viable, key=lambda cls: cls.priority) is not MemoryKeyring


def test_a_malformed_log_call_still_does_not_raise_with_the_mask_on(mask):
    SecretStore(MemoryKeyring(), mask).set(Secret.ODOO_PASSWORD, "pw-123456")
    record = logging.getLogRecordFactory()("x", logging.INFO, __file__, 1, "%d items", ("many",), None)
    assert record.msg == "%d items"  # left for the handler to report, as without the mask
