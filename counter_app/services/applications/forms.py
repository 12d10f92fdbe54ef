"""What the intake form holds, and the checks it must pass before an application is accepted.

Field names of :class:`IntakeForm` are the ones an :class:`InvalidInput` names, so the screen can
put the cursor on the field at fault.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, Mapping

from counter_app.domain.applications import APPLICANT_KINDS, PERSON, ApplicationTypeDefinition, Checklist, check_documents
from counter_app.domain.errors import InvalidInput
from counter_app.domain.identity_codes import validate_credit_code, validate_mobile, validate_resident_id
from counter_app.domain.typed import typed_number, typed_text


@dataclass(frozen=True)
class AttachmentRef:
    """A scan or photo already stored under the attachments folder by its SHA-256."""

    filename: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class IntakeForm:
    type_code: str = ""
    applicant_kind: str = PERSON
    applicant_name: str = ""
    id_number: str = ""
    credit_code: str = ""
    phone: str = ""
    contact: str = ""
    site_address: str = ""
    account_no: str = ""
    requested_size: str = ""
    documents: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[AttachmentRef, ...] = ()
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["documents"] = dict(self.documents)
        data["attachments"] = [asdict(a) for a in self.attachments]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "IntakeForm":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["documents"] = dict(known.get("documents") or {})
        known["attachments"] = tuple(AttachmentRef(**a) for a in known.get("attachments") or ())
        return cls(**known)


_LIMITS = {"applicant_name": 100, "contact": 50, "site_address": 200, "account_no": 20, "requested_size": 30, "notes": 1000}


_NUMBERS = ("account_no", "requested_size")  # typed codes: NFKC, so an IME's full-width digits count


def _text(form: IntakeForm, name: str, *, required: bool, rule: str = "", code: str = "required") -> str:
    raw = typed_text(str(getattr(form, name) or ""))
    value = " ".join((typed_number(raw) if name in _NUMBERS else raw).split()) if name != "notes" else raw.strip()
    if required and not value:
        raise InvalidInput(name, rule or "this field is required", code=code)
    if len(value) > _LIMITS[name]:
        raise InvalidInput(name, f"at most {_LIMITS[name]} characters", code="max_chars", n=_LIMITS[name])
    return value


def validate_intake(form: IntakeForm, definition: ApplicationTypeDefinition, today: date) -> tuple[IntakeForm, Checklist]:
    """The form cleaned up (codes upper-case, spaces trimmed) and its documents checklist;
    the first rule broken raises :class:`InvalidInput` naming the field."""
    if form.applicant_kind not in APPLICANT_KINDS:
        raise InvalidInput("applicant_kind", "choose a person or a company", code="person_or_company")
    person = form.applicant_kind == PERSON
    name = _text(form, "applicant_name", required=True, rule="enter the applicant's name", code="applicant_name_needed")
    if person:
        id_number, credit_code = validate_resident_id(form.id_number, today), ""
        contact = _text(form, "contact", required=False)
    else:
        id_number, credit_code = "", validate_credit_code(form.credit_code)
        contact = _text(form, "contact", required=True, rule="enter the company's contact person", code="contact_needed")
    phone = validate_mobile(form.phone)
    address = _text(form, "site_address", required=True, rule="enter the address where water is needed", code="site_address_needed")
    if len(address) < 6:
        raise InvalidInput("site_address", "give the full address: district, road, number", code="address_full")
    account_no = _text(form, "account_no", required=definition.needs_account,
                       rule=f"{definition.name_zh} needs the existing account number (户号)", code="account_no_needed")
    size = _text(form, "requested_size", required=definition.needs_size,
                 rule=f"{definition.name_zh} needs the {definition.size_label_en.lower()}", code="size_needed")
    notes = _text(form, "notes", required=False)
    checklist = check_documents(definition, form.applicant_kind, form.documents)
    for attachment in form.attachments:
        if len(attachment.sha256) != 64:
            raise InvalidInput("attachments", f"{attachment.filename} was not stored: add it again", code="file_gone", file=attachment.filename)
    cleaned = replace(form, applicant_name=name, id_number=id_number, credit_code=credit_code, phone=phone,
                      contact=contact, site_address=address, account_no=account_no, requested_size=size, notes=notes,
                      documents={d.code: form.documents[d.code] for d in definition.documents_for(form.applicant_kind)})
    return cleaned, checklist
