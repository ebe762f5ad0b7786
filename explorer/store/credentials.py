"""API keys, kept by the operating system's keyring and nowhere else.

The same keyring also holds the values of collection secret variables, under entries named
``collection:<id>:<environment>:<variable>``; messages say which of the two was concerned.

A small interface (``get``/``set``/``delete``/``location``) with two implementations, as
vorta does: ``KeyringCredentials`` for the real OS keyring (Secret Service on Linux, the
Keychain on macOS, Credential Manager on Windows) and ``MemoryCredentials`` for tests and for
"keep the key for this run only" when no keyring is available.

There is deliberately no file fallback: ``keyrings.alt`` and similar backends write keys to a
file on disk, so they count as "no keyring" and the user is told how to get a real one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from explorer.core.errors import ExplorerError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# ``keyring`` itself is imported inside the methods that talk to it: importing it pulls in
# importlib_metadata, email and jaraco (~60 ms), and no key is needed before the first Send.

SERVICE = "stackone-explorer"

# Entries for collection secret variables (``CollectionStore.secret_key``) start with this;
# every other entry is a profile's API key.
VARIABLE_ENTRY_PREFIX = "collection:"

API_KEY = "the API key"
SECRET_VARIABLES = "secret variable values"


def unavailable_help(what: str = API_KEY, *, locked: bool = False) -> str:
    """Why there is no keyring and how to get one, for storing ``what`` (``API_KEY`` or
    ``SECRET_VARIABLES``). Only an API key can be kept in memory instead: the window offers
    that; a secret variable has no such fallback. ``locked``: there is one, but it stayed
    locked (its password prompt was dismissed): unlocking it is all it takes."""
    if locked:
        text = (
            f"The OS keyring is locked, so {what} could not be read or stored: unlock it "
            "(answer its password prompt, or unlock it in your desktop's keyring manager) "
            "and try again."
        )
    else:
        text = (
            f"No secure OS keyring is available to store {what}. On Linux, install and unlock "
            "a Secret Service provider such as GNOME Keyring or KWallet (a desktop session "
            "usually starts one); on macOS the Keychain and on Windows the Credential Manager "
            "are used."
        )
    if what == API_KEY:
        text += " Meanwhile the explorer can keep the key in memory for this run only."
    return text


UNAVAILABLE_HELP = unavailable_help(API_KEY)


class KeyringUnavailable(ExplorerError):
    """There is no usable, secure OS keyring (none installed, locked, or file-based only).

    Attributes:
        detail: what the keyring library reported, for the curious; may be empty.
        what: what was to be stored: ``API_KEY`` or ``SECRET_VARIABLES``.
    """

    def __init__(self, detail: str = "", *, what: str = API_KEY, locked: bool = False) -> None:
        self.detail = detail
        self.what = what
        self.locked = locked
        text = unavailable_help(what, locked=locked) + (f" [{detail}]" if detail else "")
        super().__init__(text)


class CredentialError(ExplorerError):
    """The keyring is there but refused one operation (e.g. the write was denied)."""


class CredentialStore(Protocol):
    """Where API keys live, keyed by profile name."""

    def get(self, profile: str) -> str | None:
        """The key of ``profile``, or ``None`` if none is stored."""
        ...

    def set(self, profile: str, secret: str) -> None:
        """Store (or replace) the key of ``profile``."""
        ...

    def delete(self, profile: str) -> None:
        """Forget the key of ``profile``; no error if there is none."""
        ...

    def location(self) -> str:
        """Where keys live, in words for the user."""
        ...


# Backends that hold no secret at all, or hold it in a plain/obscured file on disk.
_UNSAFE_MODULE_PREFIXES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")

_BACKEND_WORDS = {
    "keyring.backends.SecretService": "Secret Service (GNOME Keyring, KWallet or compatible)",
    "keyring.backends.libsecret": "Secret Service via libsecret (GNOME Keyring or compatible)",
    "keyring.backends.kwallet": "KDE Wallet (KWallet)",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.Windows": "Windows Credential Manager",
}


def _is_safe(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    return not module.startswith(_UNSAFE_MODULE_PREFIXES)


def _safe_backends(backend: KeyringBackend) -> list[KeyringBackend]:
    """The secure backends behind ``backend`` (a chainer is unpacked), best first."""
    from keyring.backend import KeyringBackend

    inner = getattr(backend, "backends", None)
    if type(backend).__module__ == "keyring.backends.chainer" and isinstance(inner, list):
        return [b for b in inner if isinstance(b, KeyringBackend) and _is_safe(b)]
    return [backend] if _is_safe(backend) else []


def describe_backend(backend: KeyringBackend) -> str:
    """A backend's name in words, e.g. "macOS Keychain"."""
    module = type(backend).__module__
    for prefix, words in _BACKEND_WORDS.items():
        if module.startswith(prefix):
            return words
    return f"{type(backend).__module__}.{type(backend).__name__}"


class KeyringCredentials:
    """API keys in the OS keyring: service ``stackone-explorer``, user name = profile name.

    Every keyring failure is turned into ``KeyringUnavailable`` (nothing secure to store in)
    or ``CredentialError`` (one operation refused), both with a message for the user. The
    backend is looked up on every call, so unlocking the keyring while the app runs works.
    """

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service

    @staticmethod
    def available() -> bool:
        """True when a secure backend is configured (not the fail, null or a file backend).

        This does not prove the keyring is unlocked: the first ``get``/``set`` can still
        raise ``KeyringUnavailable``.
        """
        try:
            import keyring

            return bool(_safe_backends(keyring.get_keyring()))
        except Exception:  # backend discovery itself failed: nothing usable
            return False

    def backend(self, what: str = API_KEY) -> KeyringBackend:
        """The backend keys go to (the first secure one of a chain).

        Args:
            what: what is to be stored, for the message if there is no backend.

        Raises:
            KeyringUnavailable: there is none.
        """
        try:
            import keyring

            current = keyring.get_keyring()
        except Exception as exc:
            raise KeyringUnavailable(str(exc), what=what) from exc
        backends = _safe_backends(current)
        if not backends:
            raise KeyringUnavailable(f"backend: {describe_backend(current)}", what=what)
        return backends[0]

    def get(self, profile: str) -> str | None:
        backend = self.backend(_what(profile))
        try:
            return backend.get_password(self.service, profile)
        except Exception as exc:
            raise _translate(exc, f"read {_entry_words(profile)}", _what(profile)) from exc

    def set(self, profile: str, secret: str) -> None:
        backend = self.backend(_what(profile))
        try:
            backend.set_password(self.service, profile, secret)
        except Exception as exc:
            raise _translate(exc, f"store {_entry_words(profile)}", _what(profile)) from exc

    def delete(self, profile: str) -> None:
        import keyring.errors

        backend = self.backend(_what(profile))
        action = f"delete {_entry_words(profile)}"
        try:
            backend.delete_password(self.service, profile)
        except keyring.errors.PasswordDeleteError as exc:
            # Backends report "no such password" with this same error; only a key that is
            # still there after the attempt is a real failure.
            if self.get(profile) is not None:
                raise _translate(exc, action, _what(profile)) from exc
        except Exception as exc:
            raise _translate(exc, action, _what(profile)) from exc

    def location(self) -> str:
        try:
            import keyring

            backends = _safe_backends(keyring.get_keyring())
        except Exception:
            backends = []
        if not backends:
            return "no secure OS keyring available (keys can only be kept in memory)"
        return f"{describe_backend(backends[0])}, service '{self.service}'"


def _what(entry: str) -> str:
    return SECRET_VARIABLES if entry.startswith(VARIABLE_ENTRY_PREFIX) else API_KEY


def _entry_words(entry: str) -> str:
    """An entry in words: "the API key of profile 'prod'" or "the secret variable 'token' of
    environment 'ci'"."""
    if entry.startswith(VARIABLE_ENTRY_PREFIX):
        # collection:<id>:<environment>:<variable>; the environment name may hold colons.
        _, _, rest = entry[len(VARIABLE_ENTRY_PREFIX) :].partition(":")
        environment, _, variable = rest.rpartition(":")
        return f"the secret variable {variable!r} of environment {environment!r}"
    return f"the API key of profile {entry!r}"


_LOCKED_ERRORS = frozenset({"LockedException", "PromptDismissedException"})


def _translate(exc: Exception, action: str, what: str = API_KEY) -> ExplorerError:
    """Map the keyring library's (and its D-Bus layers') errors to ours."""
    import keyring.errors

    # A locked keyring whose prompt was dismissed: keyring's own KeyringLocked, or
    # secretstorage's LockedException / PromptDismissedException come through as they are.
    name = type(exc).__name__
    if isinstance(exc, keyring.errors.KeyringLocked) or name in _LOCKED_ERRORS:
        return KeyringUnavailable(f"{name}: {exc}", what=what, locked=True)
    if isinstance(exc, keyring.errors.NoKeyringError | keyring.errors.InitError):
        return KeyringUnavailable(f"{type(exc).__name__}: {exc}", what=what)
    if isinstance(exc, keyring.errors.KeyringError):
        return CredentialError(
            f"The OS keyring refused to {action}: {exc}. Check that it is unlocked and retry."
        )
    # secretstorage/jeepney/dbus errors (service gone, prompt dismissed, locked collection...)
    # surface as their own types or RuntimeError: all mean "no usable keyring right now".
    return KeyringUnavailable(f"{type(exc).__name__}: {exc}", what=what)


class MemoryCredentials:
    """Keys in a dict: for tests, and for "keep the key for this run only"."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self._secrets: dict[str, str] = dict(initial or {})

    def get(self, profile: str) -> str | None:
        return self._secrets.get(profile)

    def set(self, profile: str, secret: str) -> None:
        self._secrets[profile] = secret

    def delete(self, profile: str) -> None:
        self._secrets.pop(profile, None)

    def location(self) -> str:
        return "memory only: forgotten when the explorer closes"


def move_secret(store: CredentialStore, old_profile: str, new_profile: str) -> None:
    """Carry a key over when a profile is renamed (the key is stored under the name).

    The new entry is written before the old one is removed, so a failure never loses the key.
    """
    if old_profile == new_profile:
        return
    secret = store.get(old_profile)
    if secret is None:
        return
    store.set(new_profile, secret)
    store.delete(old_profile)
