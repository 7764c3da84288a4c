"""A certificate Back Market's address cannot prove is reported as such, and not retried blindly."""

from __future__ import annotations

import datetime
import ssl

import pytest

from grading_station.backmarket.errors import BackMarketError, Failure

from grading_station.services.listing_outbox import as_remote_error

from grading_station.errors import RemoteRefused
from grading_station.sim.backmarket.server import BackMarketSimulator
from tests.helpers.bm_sim import bm_client


def _self_signed(tmp_path) -> ssl.SSLContext:
    pytest.importorskip("cryptography")  # installed with the app's dependencies (not one of its own)
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    return context


def test_an_untrusted_certificate_is_a_certificate_problem_not_retried(tmp_path):
    sim = BackMarketSimulator().start(tls=_self_signed(tmp_path))
    try:
        assert sim.url.startswith("https://")
        client = bm_client(sim)
        with pytest.raises(BackMarketError) as caught:
            client.list_listings()
    finally:
        sim.stop()
    error = caught.value
    assert error.failure is Failure.CERTIFICATE and not error.retryable
    assert "certificate could not be verified" in error.user_message
    assert "cannot be reached" not in error.user_message
    assert isinstance(as_remote_error(error), RemoteRefused)  # the outbox stops and shows why
    assert sim.received == []  # nothing was sent over the unverified connection
