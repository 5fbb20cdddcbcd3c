"""Password hashing (Argon2id, memory-hard) and the password policy."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128

# OWASP's recommended Argon2id floor is 19 MiB memory, 2 iterations; we go above it.
_PROFILES = {
    "strong": PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=2),
    # Only for the test suite, where thousands of hashes would otherwise dominate the run.
    "fast": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


def hasher(profile: str = "strong") -> PasswordHasher:
    return _PROFILES[profile]


def hash_password(password: str, profile: str = "strong") -> str:
    return hasher(profile).hash(password)


def verify_password(password_hash: str, password: str, profile: str = "strong") -> bool:
    try:
        return hasher(profile).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the account does not exist, so that a failed login
# takes the same time whether or not the email is known.
@cache
def dummy_hash(profile: str = "strong") -> str:
    return hash_password("not-a-real-password-0000", profile)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("app.auth").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """Everything wrong with a proposed password, as messages for the form."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(str(_l("Use at least %(n)d characters.", n=MIN_LENGTH)))
    if len(password) > MAX_LENGTH:
        problems.append(str(_l("Use at most %(n)d characters.", n=MAX_LENGTH)))
    lowered = password.lower()
    core = _DECORATION.sub("", lowered)
    common = common_passwords()
    if lowered in common or (len(core) >= 4 and core in common) or len(set(lowered)) <= 2:
        problems.append(str(_l("This password is too common; choose one that is harder to guess.")))
    personal = {email.lower().split("@")[0], *name.lower().split(), "pvetrack", "pve track"}
    if any(len(word) >= 4 and word in lowered for word in personal if word):
        problems.append(str(_l("Do not use your name, email or the name of this system.")))
    if not problems and guessable(password, email, name):
        problems.append(str(_l(
            "This password is easy to guess: it follows a pattern such as a sequence, a "
            "repetition, a date, a row of the keyboard or words from your name or email. A few "
            "unrelated words are stronger.")))
    return problems


# zxcvbn estimates how many guesses a password takes (0: a few hundred, 4: beyond 10^10,
# the level of an offline attack on a slow hash); 3 and above is what we accept.
MIN_STRENGTH = 3
_ESTIMATE_LENGTH = 64  # the estimate's cost grows with the length; a longer one is long enough


def guessable(password: str, email: str = "", name: str = "") -> bool:
    """Whether an attacker who knows common patterns, dictionaries and the user's own name and
    email would guess the password early (zxcvbn's estimate below ``MIN_STRENGTH``)."""
    inputs = [part for part in (email.lower(), *re.split(r"[@.+_-]", email.lower()),
                                *name.lower().split(), "pvetrack", "pve", "track") if part]
    result = zxcvbn(password[:_ESTIMATE_LENGTH], user_inputs=inputs)
    return int(result["score"]) < MIN_STRENGTH
