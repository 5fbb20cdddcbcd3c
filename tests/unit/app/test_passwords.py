from __future__ import annotations

import pytest

from app.auth import passwords


@pytest.mark.parametrize(("password", "problem"), [
    ("short-pass1", "at least 12"),
    ("x" * 129, "at most 128"),
    ("password1234", "too common"),
    ("qwertyuiop123", "too common"),
    ("!!Sunshine2024!!", "too common"),  # a common word dressed up with digits and symbols
    ("aaaaaaaaaaaaaaaa", "too common"),
    ("olga.petrova-rocks-2026", "name, email"),
    ("my pvetrack password!", "name, email"),
    # passed the length and list checks, and are guessed at once: a sequence, an alternation
    ("123456789012", "easy to guess"),
    ("a1b2c3d4e5f6", "easy to guess"),
    ("abcabcabcabc1", "easy to guess"),  # a repetition
])
def test_policy_refuses(password: str, problem: str) -> None:
    problems = passwords.password_problems(password, "olga.petrova@example.org", "Olga Petrova")
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize("password", [
    "river stone lamp 1987",
    "жёлтый дом у реки 12",
    "a long passphrase made of ordinary words that is exactly sixty-four!"[:64],
    "x7#Lq9!vR2$mW4",
])
def test_policy_accepts(password: str) -> None:
    assert passwords.password_problems(password, "someone@example.org", "Some One") == []


def test_list_is_shipped_and_large() -> None:
    common = passwords.common_passwords()
    assert len(common) >= 30000 - 100  # the list has a few case duplicates
    assert "password" in common and "123456" in common


def test_strong_profile_is_argon2id_and_memory_hard() -> None:
    hashed = passwords.hash_password("river stone lamp 1987")
    assert hashed.startswith("$argon2id$")
    params = dict(p.split("=") for p in hashed.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024  # KiB; OWASP's floor for Argon2id
    assert passwords.verify_password(hashed, "river stone lamp 1987")
    assert not passwords.verify_password(hashed, "river stone lamp 1988")
    assert not passwords.verify_password("not-a-hash", "anything")


def test_the_estimate_takes_the_name_and_email_as_words_an_attacker_knows() -> None:
    """The same password is accepted for someone else and refused for the person whose
    name and email it is made of (parts under four letters escape the plain name check)."""
    password = "ivolexivolex99"
    assert passwords.password_problems(password, "someone@example.org", "Some One") == []
    problems = passwords.password_problems(password, "ivo.lex@example.org", "Ivo Lex")
    assert any("easy to guess" in p for p in problems), problems
