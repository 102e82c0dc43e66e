from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from api.services.totp import ISSUER, QR_TITLE, check_code, new_enrollment

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2025, 1, 15, 12, 0, 10, tzinfo=UTC)
STEP = int(NOW.timestamp()) // 30


def code_at(step: int) -> str:
    return pyotp.TOTP(SECRET).generate_otp(step)


def test_rfc_6238_vectors() -> None:
    # RFC 6238 appendix B (SHA-1, key "12345678901234567890"), last six of the eight digits.
    rfc_secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    moment = datetime.fromtimestamp(1111111109, UTC)
    check = check_code(rfc_secret, "081804", last_accepted_step=None, now=moment)
    assert check.accepted
    assert check.step == 1111111109 // 30


def test_the_current_code_is_accepted_and_its_step_reported() -> None:
    check = check_code(SECRET, code_at(STEP), last_accepted_step=None, now=NOW)
    assert check.accepted
    assert check.step == STEP


def test_the_previous_and_next_steps_are_accepted() -> None:
    assert check_code(SECRET, code_at(STEP - 1), last_accepted_step=None, now=NOW).step == STEP - 1
    assert check_code(SECRET, code_at(STEP + 1), last_accepted_step=None, now=NOW).step == STEP + 1


def test_a_code_two_steps_away_is_refused() -> None:
    for step in (STEP - 2, STEP + 2):
        assert code_at(step) not in {code_at(STEP - 1), code_at(STEP), code_at(STEP + 1)}
        check = check_code(SECRET, code_at(step), last_accepted_step=None, now=NOW)
        assert not check.accepted
        assert check.step is None


def test_a_replayed_code_is_refused() -> None:
    first = check_code(SECRET, code_at(STEP), last_accepted_step=None, now=NOW)
    assert first.accepted
    again = check_code(
        SECRET, code_at(STEP), last_accepted_step=first.step, now=NOW + timedelta(seconds=5)
    )
    assert not again.accepted
    assert again.step is None


def test_an_older_step_is_refused_after_a_newer_one_was_accepted() -> None:
    newer = check_code(SECRET, code_at(STEP + 1), last_accepted_step=None, now=NOW)
    assert newer.step == STEP + 1
    older = check_code(SECRET, code_at(STEP), last_accepted_step=newer.step, now=NOW)
    assert not older.accepted


def test_spaces_and_dashes_are_forgiven() -> None:
    code = code_at(STEP)
    typed = f" {code[:3]} -{code[3:]} "
    assert check_code(SECRET, typed, last_accepted_step=None, now=NOW).accepted


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "١٢٣٤٥٦", "12.456"])
def test_anything_but_six_ascii_digits_is_refused(typed: str) -> None:
    check = check_code(SECRET, typed, last_accepted_step=None, now=NOW)
    assert not check.accepted
    assert check.step is None


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        check_code(SECRET, "123456", last_accepted_step=None, now=datetime(2025, 1, 15, 12))


def test_without_now_the_clock_is_used() -> None:
    assert check_code(SECRET, pyotp.TOTP(SECRET).now(), last_accepted_step=None).accepted


def test_enrollment_secret_is_160_bits_of_base32() -> None:
    enrollment = new_enrollment("maria.gonzalez@example.org")
    assert len(enrollment.secret) == 32
    assert len(pyotp.TOTP(enrollment.secret).byte_secret()) == 20
    assert new_enrollment("maria.gonzalez@example.org").secret != enrollment.secret


def test_the_otpauth_uri_parses_back() -> None:
    enrollment = new_enrollment("maria.gonzalez@example.org")
    parsed = pyotp.parse_uri(enrollment.otpauth_uri)
    assert isinstance(parsed, pyotp.TOTP)
    assert parsed.secret == enrollment.secret
    assert parsed.name == "maria.gonzalez@example.org"
    assert parsed.issuer == ISSUER
    assert (parsed.digits, parsed.interval) == (6, 30)


def test_the_qr_code_is_a_scalable_svg_with_a_title() -> None:
    svg = new_enrollment("maria.gonzalez@example.org").qr_svg
    assert svg.startswith(("<svg", "<?xml"))
    assert f"<title>{QR_TITLE}</title>" in svg
    assert "viewBox=" in svg
    assert "width=" not in svg.split(">", 1)[0]
    assert svg.rstrip().endswith("</svg>")
