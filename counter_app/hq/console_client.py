"""The head-office console's line to head office: the ``/v1/console`` API over HTTP (so the
console runs on any IT PC, never touching the database). Blocking; the GUI calls it from its task
runner. Refusals come back as the typed errors with their codes (words in core.messages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from counter_app.core import syncwire
from counter_app.domain.errors import InvalidInput, NotAllowed, UserError, from_wire
from counter_app.hq.errors import ConsoleSessionEnded

PREFIX = "/v1/console"


class HQUnavailable(UserError):
    """Head office cannot be reached or failed; nothing is known to have changed."""

    code = "hq_unavailable"


class HQRefused(UserError):
    """An answer with a code of head office's own (``upgrade_required``, ``busy`` ...)."""

    def __init__(self, message: str, code: str, params: dict[str, Any]) -> None:
        super().__init__(message, code=code, **params)


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class ConsoleClient:
    def __init__(self, url: str, *, timeout: float = 15.0) -> None:
        self.url = url.rstrip("/")
        self.token = ""
        self.operator: dict[str, Any] = {}
        self._http = httpx.Client(base_url=self.url, timeout=timeout,
                                  headers={syncwire.H_PROTOCOL: str(syncwire.PROTOCOL_VERSION)})

    def close(self) -> None:
        self._http.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            response = self._http.request(method, PREFIX + path, json=body, params=params, headers=headers)
        except httpx.HTTPError as error:
            raise HQUnavailable(f"head office {self.url} unreachable: {error}") from error
        if response.status_code < 300:
            return response.json()
        try:
            detail = response.json()
        except ValueError:
            detail = {}
        if not isinstance(detail, dict) or "code" not in detail:
            raise HQUnavailable(f"head office answered {response.status_code}: {response.text[:200]}")
        message, params, code = str(detail.get("message", "")), detail.get("params") or {}, str(detail["code"])
        if code == "hq_session_ended":
            self.token = ""
            raise ConsoleSessionEnded(message)
        if response.status_code == 401:  # a refused login: wrong, locked, disabled
            raise NotAllowed(message, code=code, **params)
        typed = from_wire(response.status_code, detail)
        if typed is not None:
            raise typed
        raise HQRefused(message, code, params)

    # --- session ------------------------------------------------------------------------------

    def login(self, name: str, password: str) -> dict[str, Any]:
        if not (name or "").strip():
            raise InvalidInput("name", "enter your operator name", code="hq_operator_name_required")
        if not password:
            raise InvalidInput("password", "enter your password", code="password_required")
        answer = self._call("POST", "/login", {"name": name.strip(), "password": password})
        self.token, self.operator = answer["token"], answer["operator"]
        return answer

    def logout(self) -> None:
        if self.token:
            try:
                self._call("POST", "/logout")
            finally:
                self.token = ""

    def me(self) -> dict[str, Any]:
        return self._call("GET", "/me")

    # --- nodes, codes, quarantine -------------------------------------------------------------

    def nodes(self) -> list[dict[str, Any]]:
        rows = self._call("GET", "/nodes")
        for row in rows:
            for key in ("last_seen_at", "oldest_unsent_payment_at", "reported_at"):
                row[key] = parse_time(row.get(key))
        return rows

    def revoke(self, node_id: str, reason: str) -> dict[str, Any]:
        return self._call("POST", f"/nodes/{node_id}/revoke", {"reason": reason})

    def issue_code(self, branch: str, role: str, window: int | None, days: int) -> dict[str, Any]:
        answer = self._call("POST", "/enrol-codes", {"branch": branch, "role": role, "window": window, "days": days})
        answer["expires_at"] = parse_time(answer["expires_at"])
        return answer

    def quarantine(self, node: str | None = None) -> list[dict[str, Any]]:
        rows = self._call("GET", "/quarantine", params={"node": node} if node else None)
        for row in rows:
            row["received_at"] = parse_time(row["received_at"])
        return rows

    def resolve(self, event_id: str, action: str, reason: str) -> dict[str, Any]:
        return self._call("POST", f"/quarantine/{event_id}/{action}", {"reason": reason})

    def incidents(self) -> list[dict[str, Any]]:
        return self._call("GET", "/incidents")

    def audit(self) -> list[dict[str, Any]]:
        return self._call("GET", "/audit")

    # --- reference data (new dated versions through head office's publisher) ------------------

    def tariffs(self) -> list[dict[str, Any]]:
        return self._call("GET", "/reference/tariffs")

    def publish_tariff(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/reference/tariffs", payload)

    def holidays(self, year: int) -> list[dict[str, Any]]:
        return self._call("GET", f"/reference/holidays/{year}")

    def set_holidays(self, year: int, days: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call("PUT", f"/reference/holidays/{year}", {"days": days})

    def staff(self) -> list[dict[str, Any]]:
        return self._call("GET", "/reference/staff")

    def set_staff_disabled(self, staff_no: str, disabled: bool) -> dict[str, Any]:
        return self._call("POST", f"/reference/staff/{staff_no}/disabled", {"disabled": disabled})

    # --- a branch's catalogue, its policy tables, new staff (console_catalog) ------------------

    def branches(self) -> list[dict[str, Any]]:
        return self._call("GET", "/reference/branches")

    def services(self, branch: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/reference/services/{branch}")

    def save_service(self, branch: str, payload: dict[str, Any], *, new: bool, valid_from: str | None = None) -> dict[str, Any]:
        return self._call("POST", f"/reference/services/{branch}", {**payload, "new": new, "valid_from": valid_from})

    def set_service_active(self, branch: str, code: str, active: bool, valid_from: str | None = None) -> dict[str, Any]:
        return self._call("POST", f"/reference/services/{branch}/{code}/active", {"active": active, "valid_from": valid_from})

    def windows(self, branch: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/reference/windows/{branch}")

    def save_window(self, branch: str, number: int, name: str, active: bool, services: list[str],
                    valid_from: str | None = None) -> dict[str, Any]:
        return self._call("PUT", f"/reference/windows/{branch}/{number}",
                          {"name": name, "active": active, "services": services, "valid_from": valid_from})

    def policies(self, branch: str) -> list[dict[str, Any]]:
        return self._call("GET", f"/reference/policy/{branch}")

    def policy_history(self, branch: str, name: str) -> list[dict[str, Any]]:
        rows = self._call("GET", f"/reference/policy/{branch}/{name}/history")
        for row in rows:
            row["committed_at"] = parse_time(row["committed_at"])
        return rows

    def publish_policy(self, branch: str, name: str, values: dict[str, Any], valid_from: str | None = None) -> dict[str, Any]:
        return self._call("PUT", "/reference/policy", {"branch": branch, "name": name, "values": values,
                                                       "valid_from": valid_from})

    def reset_staff_password(self, staff_no: str, password: str) -> dict[str, Any]:
        return self._call("POST", f"/reference/staff/{staff_no}/password", {"password": password})

    def create_staff(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/reference/staff", payload)
