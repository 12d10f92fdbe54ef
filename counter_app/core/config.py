"""One TOML file per installation, validated here and nowhere else.

A missing or malformed setting raises :class:`ConfigError` naming the key and the expected form;
the command line prints it and exits, never with a traceback.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any, Callable, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROLES = ("demo", "counter", "kiosk", "display", "manager", "hub", "hq", "evaluator", "backoffice")
LANGUAGES = ("zh_CN", "en")
RECEIPT_LAYOUTS = ("80mm", "a5")
EVALUATOR_MODES = ("screen", "serial", "none")


T = TypeVar("T")


DEVICE_TOKEN_RULE = "this device's token from 'counter-app hub-admin device-add' (at least 8 characters without spaces)"
EVALUATOR_TOKEN_RULE = ("the evaluator device's token from 'counter-app hub-admin device-add --role evaluator' (at least 8 characters without spaces), or empty")


class ConfigError(Exception):
    def __init__(self, key: str, expected: str, got: object = None, source: str = "") -> None:
        where = f" in {source}" if source else ""
        detail = f" (got {got!r})" if got is not None else ""
        super().__init__(f"setting '{key}'{where}: expected {expected}{detail}")
        self.key = key
        self.expected = expected


@dataclass(frozen=True)
class BranchSettings:
    code: str = "B001"
    name: str = "城东营业厅"
    utility: str = "示范市自来水有限公司"
    timezone: str = "Asia/Shanghai"
    query_phone: str = "0000-96116"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class HubSettings:
    url: str = "http://127.0.0.1:8765"
    listen_host: str = "127.0.0.1"
    listen_port: int = 8765
    token: str = ""  # this device's own credential, from `counter-app hub-admin device-add`
    evaluator_token: str = ""  # a counter PC's evaluator on its second screen: the evaluator's own credential


@dataclass(frozen=True)
class HQDatabaseSettings:
    #: PostgreSQL of head office, e.g. postgresql://hq:pw@db.example/hq; empty: an embedded
    #: PostgreSQL under the data folder (demo and tests)
    url: str = ""


@dataclass(frozen=True)
class HQSettings:
    url: str = ""  # where branch nodes reach head office
    enrolment_code: str = ""  # the one-time code from head office, until `counter-app enrol` has used it
    listen_host: str = "127.0.0.1"  # where ``counter-app hq`` listens
    listen_port: int = 8780
    enrol_code_days: int = 7  # how long a one-time enrolment code stays valid
    database: HQDatabaseSettings = field(default_factory=HQDatabaseSettings)


@dataclass(frozen=True)
class PrinterSettings:
    name: str = ""  # empty: save PDFs in the data folder instead of printing
    receipt_layout: str = "80mm"


@dataclass(frozen=True)
class EvaluatorSettings:
    mode: str = "screen"
    port: str = ""
    baud: int = 9600
    timeout_seconds: int = 30


@dataclass(frozen=True)
class BackupSettings:
    keep: int = 14  # scheduled copies kept; copies made before a migration or a restore are never pruned
    folder: str = ""  # empty: backups/ in the data folder


@dataclass(frozen=True)
class Settings:
    role: str = "demo"
    language: str = "zh_CN"
    window: int = 1
    branch: BranchSettings = field(default_factory=BranchSettings)
    hub: HubSettings = field(default_factory=HubSettings)
    hq: HQSettings = field(default_factory=HQSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    evaluator: EvaluatorSettings = field(default_factory=EvaluatorSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    #: Policy tables owned by the part that uses them ([queue], [voice], [kiosk], [display],
    #: [quality], [billing]); turned into that part's typed options by :func:`options_from_table`
    #: (the dated [billing] entries by ``services.billing.policy``).
    policy: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = "(built-in defaults)"

    def table(self, name: str) -> dict[str, Any]:
        return self.policy.get(name, {})


_Check = Callable[[str, Any], Any]


def _text(pattern: str | None = None, expected: str = "text", allow_empty: bool = True) -> _Check:
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise ConfigError(key, expected, value)
        if not allow_empty and not value.strip():
            raise ConfigError(key, expected, value)
        if pattern and value and not re.fullmatch(pattern, value):
            raise ConfigError(key, expected, value)
        return value

    return check


def _choice(options: tuple[str, ...]) -> _Check:
    def check(key: str, value: Any) -> str:
        if value not in options:
            raise ConfigError(key, "one of " + ", ".join(options), value)
        return value

    return check


def _int(low: int, high: int) -> _Check:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(key, f"a whole number from {low} to {high}", value)
        return value

    return check


def _zone(key: str, value: Any) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ConfigError(key, "an IANA time zone such as Asia/Shanghai", value) from None
    return value


_URL = r"https?://[^\s/]+(:\d+)?(/\S*)?"
_PG_URL = r"postgres(ql)?(\+psycopg)?://\S+"


def _hq_database(key: str, value: Any) -> HQDatabaseSettings:
    if not isinstance(value, dict):
        raise ConfigError(key, f"a [{key}] table", value)
    unknown = sorted(set(value) - {"url"})
    if unknown:
        raise ConfigError(f"{key}.{unknown[0]}", f"{key}.url (unknown key)")
    url = _text(_PG_URL, "a PostgreSQL address such as postgresql://user:password@host:5432/hq, or empty")(
        f"{key}.url", value.get("url", ""))
    return HQDatabaseSettings(url=url)

_HOST = r"[A-Za-z0-9.\-:\[\]]+"

_SECTIONS: dict[str, tuple[type, dict[str, _Check]]] = {
    "branch": (BranchSettings, {
        "code": _text(r"[A-Z][A-Z0-9]{1,9}", "a branch code of 2-10 capital letters and digits, e.g. B017", False),
        "name": _text(expected="the branch name", allow_empty=False),
        "utility": _text(expected="the utility's name", allow_empty=False),
        "timezone": _zone,
        "query_phone": _text(expected="a telephone number as printed"),
    }),
    "hub": (HubSettings, {
        "url": _text(_URL, "an http(s) address such as http://192.168.1.10:8765", False),
        "listen_host": _text(_HOST, "an address to listen on, e.g. 0.0.0.0", False),
        "listen_port": _int(1, 65535),
        "token": _text(r"\S{8,}", DEVICE_TOKEN_RULE),
        "evaluator_token": _text(r"\S{8,}", EVALUATOR_TOKEN_RULE),
    }),
    "hq": (HQSettings, {
        "url": _text(_URL, "an http(s) address of head office, or empty"),
        "enrolment_code": _text(r"[A-Za-z0-9-]{6,64}", "the enrolment code from head office (6-64 letters, digits, -), or empty"),
        "listen_host": _text(_HOST, "an address to listen on", False),
        "listen_port": _int(1, 65535),
        "enrol_code_days": _int(1, 90),
        "database": _hq_database,
    }),
    "printer": (PrinterSettings, {
        "name": _text(expected="a printer name, or empty to save PDFs"),
        "receipt_layout": _choice(RECEIPT_LAYOUTS),
    }),
    "evaluator": (EvaluatorSettings, {
        "mode": _choice(EVALUATOR_MODES),
        "port": _text(expected="a serial port such as COM3 or /dev/ttyUSB0"),
        "baud": _int(1200, 115200),
        "timeout_seconds": _int(5, 600),
    }),
    "backup": (BackupSettings, {
        "keep": _int(1, 3650),
        "folder": _text(expected="a folder for backups, or empty for backups/ in the data folder"),
    }),
}
POLICY_TABLES = ("queue", "voice", "kiosk", "display", "quality", "billing", "sync", "stats", "offline")

_TOP: dict[str, _Check] = {
    "role": _choice(ROLES),
    "language": _choice(LANGUAGES),
    "window": _int(1, 999),
}


def settings_from_dict(data: dict[str, Any], source: str = "") -> Settings:
    values: dict[str, Any] = {"source": source or "(built-in defaults)"}
    for key, value in data.items():
        if key in _TOP:
            try:
                values[key] = _TOP[key](key, value)
            except ConfigError as error:
                raise ConfigError(error.key, error.expected, value, source) from None
        elif key in POLICY_TABLES:
            if not isinstance(value, dict):
                raise ConfigError(key, f"a [{key}] table", value, source)
            values.setdefault("policy", {})[key] = dict(value)
        elif key in _SECTIONS:
            cls, checks = _SECTIONS[key]
            if not isinstance(value, dict):
                raise ConfigError(key, f"a [{key}] table", value, source)
            section: dict[str, Any] = {}
            for sub, sub_value in value.items():
                full = f"{key}.{sub}"
                if sub not in checks:
                    raise ConfigError(full, "one of " + ", ".join(f"{key}.{k}" for k in checks) + " (unknown key)", None, source)
                try:
                    section[sub] = checks[sub](full, sub_value)
                except ConfigError as error:
                    raise ConfigError(error.key, error.expected, sub_value, source) from None
            values[key] = cls(**section)
        else:
            known = ", ".join([*_TOP, *_SECTIONS, *POLICY_TABLES])
            raise ConfigError(key, f"a known setting ({known})", None, source)
    settings = Settings(**values)
    if settings.role == "counter" and "window" not in data:
        raise ConfigError("window", "the number of this counter's window, e.g. window = 3", None, source)
    _check_credentials(settings, source)
    return settings


PLACEHOLDER_WORD = "change-me"


def _check_credentials(settings: Settings, source: str) -> None:
    """An example file's placeholder token is refused. (A hub may listen on every interface: it
    serves only devices with a credential of their own, issued by ``counter-app hub-admin``.)"""
    for key in ("token", "evaluator_token"):
        if PLACEHOLDER_WORD in getattr(settings.hub, key).lower():
            raise ConfigError(f"hub.{key}", "this branch's own device token (the example file's placeholder is refused)",
                              getattr(settings.hub, key), source)


def check_setting(key: str, value: Any) -> Any:
    """Check one setting (``"window"``, ``"hub.url"`` ...) by the file's own rule; raises ConfigError."""
    if key in _TOP:
        return _TOP[key](key, value)
    section, _, sub = key.partition(".")
    return _SECTIONS[section][1][sub](key, value)


def load_settings(path: Path | None) -> Settings:
    """Read and validate a configuration file; ``None`` gives the built-in demo defaults."""
    if path is None:
        return Settings()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("--config", "an existing TOML file", str(path)) from None
    except OSError as error:
        raise ConfigError("--config", f"a readable TOML file ({error.strerror})", str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("--config", "a UTF-8 encoded TOML file", str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("--config", f"valid TOML ({error})", str(path)) from None
    return settings_from_dict(data, str(path))


def _scalar(key: str, value: Any, kind: Any) -> Any:
    """Check one policy value against the type its options class declares."""
    text = str(kind)
    if kind in (bool, "bool"):
        if isinstance(value, bool):
            return value
        raise ConfigError(key, "true or false", value)
    if kind in (int, "int"):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(key, "a whole number", value)
    if kind in (float, "float"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(key, "a number", value)
    if kind in (str, "str") or text in ("str | None", "typing.Optional[str]"):
        if isinstance(value, str):
            return value
        raise ConfigError(key, "text in quotes", value)
    if kind in (time, "time"):
        if isinstance(value, time):
            return value
        if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            return time(int(value[:2]), int(value[3:]))
        raise ConfigError(key, "a time of day such as 23:00", value)
    if text.startswith("Literal["):
        choices = tuple(re.findall(r"['\"]([^'\"]+)['\"]", text))
        if value in choices:
            return value
        raise ConfigError(key, "one of " + ", ".join(choices), value)
    if text.startswith("tuple[str"):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise ConfigError(key, 'a list of texts such as ["zh_CN", "en"]', value)
    raise ConfigError(key, "(this option is not set from the configuration file)", value)


def options_from_table(cls: type[T], settings: Settings, section: str) -> T:
    """Build the typed options ``cls`` (a dataclass with defaults) from the ``[section]`` table.

    Unknown keys, wrong types and values the class itself refuses (its ``__post_init__`` raising
    an error with ``field`` and ``rule``) all become :class:`ConfigError` naming the key."""
    declared = {f.name: f.type for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    for key, value in settings.table(section).items():
        full = f"{section}.{key}"
        if key not in declared:
            raise ConfigError(full, "one of " + ", ".join(f"{section}.{k}" for k in declared) + " (unknown key)",
                              None, settings.source)
        try:
            values[key] = _scalar(full, value, declared[key])
        except ConfigError as error:
            raise ConfigError(error.key, error.expected, value, settings.source) from None
    try:
        return cls(**values)
    except Exception as error:  # the options' own rule, e.g. InvalidInput(field, rule)
        field_name, rule = getattr(error, "field", None), getattr(error, "rule", None)
        if field_name is None or rule is None:
            raise
        name = field_name if field_name.startswith(section + ".") else f"{section}.{field_name}"
        raise ConfigError(name, rule, values.get(name.split(".", 1)[1]), settings.source) from None


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8780`` for IPv6) as given to ``--listen``."""
    host, sep, port = value.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError("--listen", "HOST:PORT, e.g. 0.0.0.0:8780", value)
    return host, int(port)
