"""Accounts of the observatory's staff: created from the command line, passwords hashed with scrypt, logins
throttled after repeated failures (counted in the database, so every app process sees them)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import sqlalchemy as sa

from dashboard import database as db
from dashboard.store import DataError
from dashboard.versions import now_iso

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_FAILURES = 5  # per name or per address, within WINDOW_SECONDS
WINDOW_SECONDS = 15 * 60
MIN_PASSWORD = 12


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64): the stored form of ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    encode = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${encode(salt)}${encode(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def create_account(connection, username: str, password: str) -> None:
    """Add an account (or change its password); refuse a short password."""
    username = username.strip()
    if not username:
        raise DataError("Le nom du compte est vide.")
    if len(password) < MIN_PASSWORD:
        raise DataError(f"Mot de passe trop court : {MIN_PASSWORD} caractères au moins.")
    stored = hash_password(password)
    existing = connection.execute(sa.select(db.accounts.c.id).where(db.accounts.c.username == username)).first()
    if existing:
        connection.execute(db.accounts.update().where(db.accounts.c.id == existing.id).values(password_hash=stored))
    else:
        connection.execute(db.accounts.insert(), {"username": username, "password_hash": stored,
                                                  "created_at": now_iso()})


class LoginRefused(Exception):
    """A login that cannot go through; the message is in French and says what to do."""


def log_in(connection, username: str, password: str, remote_addr: str, now: float | None = None) -> str:
    """Return the account name when the password is right; raise ``LoginRefused`` otherwise (and count it)."""
    now = time.time() if now is None else now
    failures = db.login_failures
    since = now - WINDOW_SECONDS
    recent = connection.execute(
        sa.select(sa.func.count()).select_from(failures)
        .where(failures.c.at > since, sa.or_(failures.c.username == username, failures.c.remote_addr == remote_addr))
    ).scalar()
    if recent >= MAX_FAILURES:
        raise LoginRefused("Trop de tentatives de connexion échouées : réessayez dans 15 minutes.")
    row = connection.execute(sa.select(db.accounts).where(db.accounts.c.username == username)).mappings().first()
    # Hash even for an unknown name, so that timing does not tell which names exist.
    stored = row["password_hash"] if row else hash_password("unknown account")
    if row is None or not check_password(password, stored):
        connection.execute(failures.insert(), {"username": username[:100], "remote_addr": remote_addr[:64], "at": now})
        raise LoginRefused("Nom ou mot de passe incorrect.")
    connection.execute(failures.delete().where(failures.c.username == username))
    return row["username"]
