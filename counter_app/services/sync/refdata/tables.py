"""How each reference entity lands in the branch's tables: set-based SQL from ``ref_stage`` into the
live table, matched by natural key (a database made before enrolment keeps its own row ids), only
where the incoming ``hq_version`` is not older than the row's. A removed entity is kept where facts
may point at it (bill -> cancelled, account -> closed, staff -> disabled, service/window -> inactive)
with ``hq_version = 0``: "no longer head office's", which the checksum leaves out; pure settings
(holiday, window_service, ref_policy) are deleted.

Every statement takes ``:sid`` (the staged rows' set) and ``:bucket`` (the branch code, or ``*``)."""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.core import refstreams as rs


def _j(name: str) -> str:
    return f"json_extract(s.payload, '$.{name}')"


def _t(name: str) -> str:
    """A field of a typed staging table (migration 0016); a JSON field is its JSON text."""
    return f"json_extract(s.\"{name}\", '$')" if name in rs.JSON_FIELDS else f's."{name}"'


def _from_stage(entity: str, joins: str = "") -> str:
    """The staged rows of ``entity`` under ``:sid``: its typed table, or ``ref_stage``'s rows of it."""
    if entity in rs.COLUMNS:
        return f"FROM ref_stage_{entity} s {joins} WHERE s.sid = :sid"
    return f"FROM ref_stage s {joins} WHERE s.sid = :sid AND s.entity = '{entity}'"


def _stage_key(entity: str) -> str:
    if entity not in rs.COLUMNS:
        return "s.key"
    return "s.k1 || '|' || s.k2" if len(rs.KEY_FIELDS[entity]) == 2 else "s.k1 || CASE s.k2 WHEN '' THEN '' ELSE '|' || s.k2 END"

_BRANCH_ID = "(SELECT id FROM branch WHERE code = :bucket)"
_ACCOUNTS = f"(SELECT id FROM customer_account WHERE branch_id = {_BRANCH_ID})"


@dataclass(frozen=True)
class EntitySql:
    entity: str
    table: str
    upsert: str
    remove: str
    #: ``SELECT key, hq_version`` of the rows of this bucket that came from head office
    versions: str
    #: the same, restricted to the keys staged under ``:sid`` (before and after a page: checksum delta)
    touched: str
    #: staged upserts whose references (account, meter, tariff, branch ...) are not in the tables
    unresolved: str
    #: a snapshot's swap: rows of the bucket that the snapshot no longer has
    missing: str
    #: whether the bucket has any row at all (a first snapshot into an empty bucket marks nothing)
    any_held: str
    #: how many upserts are staged under ``:sid``
    staged: str


def _entity(entity: str, table: str, *, columns: dict[str, str], conflict: str, joins: str = "",
            scope: str, key_sql: str, key_match: str, removed: str, from_sql: str | None = None,
            stage_join: str, resolve: str = "", insert_only: dict[str, str] | None = None) -> EntitySql:
    inserted = {**columns, **(insert_only or {})}
    names = ", ".join(f'"{c}"' for c in inserted)
    values = ", ".join(inserted.values())
    keys = {c.strip() for c in conflict.split(",")}  # equal by definition of the conflict: not rewritten
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c != "id" and c not in keys)
    upserts = f"{_from_stage(entity)} AND s.op = 'upsert'"
    upsert = (f'INSERT INTO "{table}" ({names}) SELECT {values} {_from_stage(entity, joins)} AND s.op = \'upsert\' '
              + f'ON CONFLICT ({conflict}) DO UPDATE SET {updates} WHERE excluded.hq_version >= "{table}".hq_version')
    source = from_sql or f'"{table}" t'
    staged = _from_stage(entity, stage_join)
    remove_rows = f"SELECT t.rowid {staged} AND s.op = 'remove' AND s.hq_version > t.hq_version"
    if removed == "DELETE":
        remove = f'DELETE FROM "{table}" WHERE rowid IN ({remove_rows})'
        missing_action = f'DELETE FROM "{table}" WHERE rowid IN ({{rows}})'
    else:
        remove = f'UPDATE "{table}" SET {removed}, hq_version = 0 WHERE rowid IN ({remove_rows})'
        missing_action = f'UPDATE "{table}" SET {removed}, hq_version = 0 WHERE rowid IN ({{rows}})'
    in_scope = f"SELECT t.rowid {key_match.format(source=source)} AND {scope}"
    missing_rows = f"{in_scope} AND NOT EXISTS (SELECT 1 {_from_stage(entity)} AND s.k1 = s_k1 AND s.k2 = s_k2)"
    versions = f"SELECT {key_sql}, t.hq_version {key_match.format(source=source)} AND t.hq_version > 0 AND {scope}"
    touched = f"SELECT {_stage_key(entity)}, t.hq_version {staged} AND t.hq_version > 0"
    unresolved = f"SELECT {_stage_key(entity)} {upserts} AND NOT ({resolve or '1'})"
    return EntitySql(entity, table, upsert, remove, versions, touched, unresolved,
                     missing_action.format(rows=missing_rows), f"SELECT EXISTS ({in_scope})", f"SELECT count(*) {upserts}")


def _one_key(column: str) -> str:
    """``key_match`` of a table keyed by one column: ``s_k1`` is that column, ``s_k2`` empty."""
    return "FROM (SELECT t.rowid AS rowid, t.*, " + column + " AS s_k1, '' AS s_k2 FROM {source}) t WHERE 1"


_ACCOUNT_NO = "(SELECT id FROM customer_account WHERE account_no = {})"
_BID = "(SELECT id FROM branch WHERE code = :bucket)"

ENTITIES: dict[str, EntitySql] = {
    "branch": _entity(
        "branch", "branch", conflict="code",
        stage_join="JOIN branch t ON t.code = s.k1", scope="t.code = :bucket", key_sql="t.code",
        key_match=_one_key("t.code"), removed="hq_version = 0",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "code": "s.k1", "name": _j("name"),
                 "utility_name": _j("utility_name"), "timezone": _j("timezone"), "query_phone": _j("query_phone"),
                 "address": _j("address")}),
    "service": _entity(
        "service", "service", conflict="branch_id, code",
        stage_join=f"JOIN service t ON t.branch_id = {_BID} AND t.code = s.k1", scope=f"t.branch_id = {_BID}", key_sql="t.code",
        key_match=_one_key("t.code"), removed="active = 0", resolve=f"{_BID} IS NOT NULL",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "branch_id": _BID, "code": "s.k1",
                 "letter": _j("letter"), "name_zh": _j("name_zh"), "name_en": _j("name_en"),
                 "daily_cap": _j("daily_cap"), "sort_order": _j("sort_order"), "active": _j("active"),
                 "standard_minutes": _j("standard_minutes"), "in_use_from": _j("in_use_from"), "dated": _j("dated")}),
    "window": _entity(
        "window", "window", conflict="branch_id, number",
        stage_join=f"JOIN window t ON t.branch_id = {_BID} AND t.number = CAST(s.k1 AS INTEGER)", scope=f"t.branch_id = {_BID}",
        key_sql="CAST(t.number AS TEXT)", key_match=_one_key("CAST(t.number AS TEXT)"), removed="active = 0",
        resolve=f"{_BID} IS NOT NULL",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "branch_id": _BID, "number": "CAST(s.k1 AS INTEGER)",
                 "name": _j("name"), "active": _j("active"), "dated": _j("dated")}),
    "window_service": _entity(
        "window_service", "window_service", conflict="window_id, service_id",
        stage_join=(f"JOIN window w ON w.branch_id = {_BID} AND w.number = CAST(s.k1 AS INTEGER) "
                    f"JOIN service sv ON sv.branch_id = {_BID} AND sv.code = s.k2 "
                    "JOIN window_service t ON t.window_id = w.id AND t.service_id = sv.id"),
        scope=f"t.w_branch = {_BID}", key_sql="t.s_k1 || '|' || t.s_k2", removed="DELETE",
        from_sql="window_service ws JOIN window w ON w.id = ws.window_id JOIN service sv ON sv.id = ws.service_id",
        key_match="FROM (SELECT ws.rowid AS rowid, ws.hq_version, w.branch_id AS w_branch, CAST(w.number AS TEXT) AS s_k1, "
                  "sv.code AS s_k2 FROM {source}) t WHERE 1",
        resolve=(f"EXISTS (SELECT 1 FROM window w WHERE w.branch_id = {_BID} AND w.number = CAST(s.k1 AS INTEGER)) AND "
                 f"EXISTS (SELECT 1 FROM service sv WHERE sv.branch_id = {_BID} AND sv.code = s.k2)"),
        columns={"window_id": f"(SELECT id FROM window WHERE branch_id = {_BID} AND number = CAST(s.k1 AS INTEGER))",
                 "service_id": f"(SELECT id FROM service WHERE branch_id = {_BID} AND code = s.k2)",
                 "sort_order": _j("sort_order"), "hq_version": "s.hq_version"}),
    "staff": _entity(
        "staff", "staff", conflict="staff_no",
        stage_join=f"JOIN staff t ON t.staff_no = s.k1 AND t.branch_id = {_BID}", scope=f"t.branch_id = {_BID}", key_sql="t.staff_no",
        key_match=_one_key("t.staff_no"), removed="disabled = 1", resolve=f"{_BID} IS NOT NULL",
        insert_only={"failed_logins": "0"},
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "branch_id": _BID, "staff_no": "s.k1",
                 "name": _j("name"), "role": _j("role"), "password_hash": _j("password_hash"),
                 "star_level": _j("star_level"), "disabled": _j("disabled"),
                 "offline_valid_until": _j("offline_valid_until"),
                 "must_change_password": f"COALESCE({_j('must_change_password')}, 0)"}),
    "tariff_version": _entity(
        "tariff_version", "tariff_version", conflict="code, valid_from",
        stage_join="JOIN tariff_version t ON t.code = s.k1 AND t.valid_from = s.k2", scope="1", key_sql="t.s_k1 || '|' || t.s_k2",
        key_match="FROM (SELECT t.rowid AS rowid, t.*, t.code AS s_k1, t.valid_from AS s_k2 FROM {source}) t WHERE 1",
        removed="hq_version = 0",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "code": "s.k1", "name": _j("name"),
                 "user_type": _j("user_type"), "valid_from": "s.k2", "valid_to": _j("valid_to"),
                 "definition": _j("definition")}),
    "holiday": _entity(
        "holiday", "holiday", conflict="day",
        stage_join="JOIN holiday t ON t.day = s.k1", scope="1", key_sql="t.day", key_match=_one_key("t.day"),
        removed="DELETE",
        columns={"day": "s.k1", "kind": _j("kind"), "name": _j("name"), "hq_version": "s.hq_version"}),
    "application_type": _entity(
        "application_type", "application_type", conflict="code",
        stage_join="JOIN application_type t ON t.code = s.k1", scope="1", key_sql="t.code",
        key_match=_one_key("t.code"), removed="active = 0",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "code": "s.k1", "name_zh": _j("name_zh"),
                 "name_en": _j("name_en"), "definition": _j("definition"), "active": _j("active")}),
    "policy": _entity(
        "policy", "ref_policy", conflict="name",
        stage_join="JOIN ref_policy t ON t.name = s.k1", scope="1", key_sql="t.name", key_match=_one_key("t.name"),
        removed="DELETE", columns={"name": "s.k1", "values": _j("values"), "hq_version": "s.hq_version"}),
    "customer_account": _entity(
        "customer_account", "customer_account", conflict="account_no",
        stage_join=f"JOIN customer_account t ON t.account_no = s.k1 AND t.branch_id = {_BID}", scope=f"t.branch_id = {_BID}",
        key_sql="t.account_no", key_match=_one_key("t.account_no"), removed="status = 'closed'",
        resolve=f"{_BID} IS NOT NULL",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "account_no": "s.k1", "branch_id": _BID,
                 "holder": _t("holder"), "address": _t("address"), "phone": _t("phone"), "user_type": _t("user_type"),
                 "household_size": _t("household_size"), "balance_fen": _t("balance_fen"), "status": _t("status")}),
    "meter": _entity(
        "meter", "meter", conflict="meter_no",
        stage_join=f"JOIN meter t ON t.meter_no = s.k1 JOIN customer_account a ON a.id = t.account_id AND a.branch_id = {_BID}", scope=f"t.account_id IN {_ACCOUNTS}", key_sql="t.meter_no",
        key_match=_one_key("t.meter_no"), removed="hq_version = 0",
        resolve=f"{_ACCOUNT_NO.format(_t('account_no'))} IS NOT NULL",
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "account_id": _ACCOUNT_NO.format(_t("account_no")),
                 "meter_no": "s.k1", "size_dn": _t("size_dn"), "installed_on": _t("installed_on")}),
    "bill": _entity(
        "bill", "bill", conflict="account_id, period",
        stage_join=(f"JOIN customer_account a ON a.account_no = s.k1 AND a.branch_id = {_BID} "
                    "JOIN bill t ON t.account_id = a.id AND t.period = s.k2"), scope=f"t.account_id IN {_ACCOUNTS}",
        key_sql="t.s_k1 || '|' || t.s_k2", removed="status = 'cancelled'",
        from_sql="bill b JOIN customer_account a ON a.id = b.account_id",
        key_match="FROM (SELECT b.rowid AS rowid, b.hq_version, b.account_id, a.account_no AS s_k1, b.period AS s_k2 "
                  "FROM {source}) t WHERE 1",
        joins=("JOIN customer_account a ON a.account_no = s.k1 "
               "JOIN meter m ON m.meter_no = s.meter_no "
               "JOIN tariff_version tv ON tv.code = s.tariff_code "
               "AND tv.valid_from = s.tariff_valid_from"),
        resolve=("EXISTS (SELECT 1 FROM customer_account a WHERE a.account_no = s.k1) AND "
                 "EXISTS (SELECT 1 FROM meter m WHERE m.meter_no = s.meter_no) AND "
                 "EXISTS (SELECT 1 FROM tariff_version tv WHERE tv.code = s.tariff_code "
                 "AND tv.valid_from = s.tariff_valid_from)"),
        columns={"id": "s.row_id", "hq_version": "s.hq_version", "account_id": "a.id", "meter_id": "m.id",
                 "tariff_version_id": "tv.id", "period": "s.k2", "period_start": _t("period_start"),
                 "period_end": _t("period_end"), "prev_reading": _t("prev_reading"),
                 "curr_reading": _t("curr_reading"), "usage_m3": _t("usage_m3"), "amount_fen": _t("amount_fen"),
                 "detail": _t("detail"), "due_date": _t("due_date"), "paid_fen": _t("paid_fen"),
                 "status": _t("status")}),
}
