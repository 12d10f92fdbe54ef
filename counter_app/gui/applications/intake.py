"""The intake form at the counter: applicant, site, documents checklist, attachments, notes;
save as a draft and resume it; accept and print the acceptance slip (受理回执)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QMenu, QPlainTextEdit, QPushButton, QRadioButton, QScrollArea, QVBoxLayout, QWidget,
)

from counter_app.domain.applications import COMPANY, PERSON, ApplicationTypeDefinition
from counter_app.domain.errors import InvalidInput, UserError
from counter_app.gui.applications.checklist import DocumentChecklist
from counter_app.gui.applications.messages import PAGE_STYLE, ApplicationWords, pick
from counter_app.gui.applications.paper import PaperOutput
from counter_app.gui.tasks import TaskRunner
from counter_app.services.applications import Accepted, ApplicationService, AttachmentRef, DraftInfo, IntakeForm, TypeInfo
from counter_app.services.auth import StaffSession
from counter_app.gui import keymap
from counter_app.gui.widgets import ComboBox

SIZES = ("DN15", "DN20", "DN25", "DN32", "DN40", "DN50", "DN80", "DN100", "DN150", "DN200")


class IntakePage(QWidget):
    accepted = Signal(str, object)  # application number, acceptance slip PDF
    draft_saved = Signal(str)

    def __init__(self, service: ApplicationService, who: StaffSession, tasks: TaskRunner, paper: PaperOutput,
                 parent: QWidget | None = None, current_ticket: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self._service, self._who, self._tasks, self._paper = service, who, tasks, paper
        self._current_ticket = current_ticket  # the ticket being served: the application is part of it
        self.words = ApplicationWords(self)
        self.setStyleSheet(PAGE_STYLE)
        self.types: dict[str, ApplicationTypeDefinition] = {}
        self.draft_id: str | None = None
        self.attachments: list[AttachmentRef] = []
        self.last_slip: Path | None = None
        self._build()
        self._tasks.run(lambda: self._service.types(), self._show_types, self._failed, write=False)

    # ---- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        columns = QHBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        applicant = QGroupBox(self.tr("Application"))
        self.form_layout = form = QFormLayout(applicant)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.type_combo = ComboBox()
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        form.addRow(self.tr("Application &type:"), self.type_combo)
        kinds = QHBoxLayout()
        self.person_radio = QRadioButton(self.tr("&Person"))
        self.company_radio = QRadioButton(self.tr("&Company"))
        self.kind_group = QButtonGroup(self)
        for radio in (self.person_radio, self.company_radio):
            self.kind_group.addButton(radio)
            kinds.addWidget(radio)
        kinds.addStretch(1)
        self.person_radio.setChecked(True)
        self.kind_group.buttonToggled.connect(lambda *_: self._kind_changed())
        form.addRow(self.tr("Applicant is a:"), kinds)
        self.name_edit, self.id_edit, self.credit_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.contact_edit, self.phone_edit, self.address_edit, self.account_edit = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.id_edit.setMaxLength(22)
        self.credit_edit.setMaxLength(22)
        self.phone_edit.setMaxLength(20)
        self.id_edit.setPlaceholderText(self.tr("18 characters, last may be X"))
        self.credit_edit.setPlaceholderText(self.tr("18 characters"))
        self.phone_edit.setPlaceholderText(self.tr("11-digit mobile"))
        self.address_edit.setPlaceholderText(self.tr("district, road, number, building, room"))
        self.account_edit.setPlaceholderText(self.tr("10-digit account number from a bill"))
        self.size_combo = ComboBox()
        self.size_combo.setEditable(True)
        self.size_combo.addItems(("",) + SIZES)
        self.name_label = QLabel(self.tr("Applicant &name:"))
        form.addRow(self.name_label, self.name_edit)
        form.addRow(self.tr("Resident &ID number:"), self.id_edit)
        form.addRow(self.tr("Credit c&ode:"), self.credit_edit)
        self.contact_label = QLabel()
        form.addRow(self.contact_label, self.contact_edit)
        form.addRow(self.tr("&Mobile number:"), self.phone_edit)
        form.addRow(self.tr("Site &address:"), self.address_edit)
        form.addRow(self.tr("Acco&unt number:"), self.account_edit)
        self.size_label = QLabel(self.tr("Meter si&ze:"))
        form.addRow(self.size_label, self.size_combo)
        for label, edit in ((self.name_label, self.name_edit), (self.size_label, self.size_combo)):
            label.setBuddy(edit)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setFixedHeight(80)
        form.addRow(self.tr("Notes:"), self.notes_edit)
        columns.addWidget(applicant, 5)

        right = QVBoxLayout()
        documents = QGroupBox(self.tr("Documents (told once, all of them)"))
        self.checklist = DocumentChecklist()
        documents_layout = QVBoxLayout(documents)
        documents_layout.addWidget(self.checklist)
        documents_layout.addWidget(self.checklist.summary)
        right.addWidget(documents)
        files = QGroupBox(self.tr("Attachments (scans, photos)"))
        files_layout = QVBoxLayout(files)
        self.attachment_list = QListWidget()
        self.attachment_list.setFixedHeight(90)
        files_layout.addWidget(self.attachment_list)
        file_buttons = QHBoxLayout()
        self.add_file_button = QPushButton(self.tr("Add files…"))
        self.remove_file_button = QPushButton(self.tr("Remove"))
        self.add_file_button.clicked.connect(self._choose_files)
        self.remove_file_button.clicked.connect(self._remove_file)
        file_buttons.addWidget(self.add_file_button)
        file_buttons.addWidget(self.remove_file_button)
        file_buttons.addStretch(1)
        files_layout.addLayout(file_buttons)
        right.addWidget(files)
        right.addStretch(1)
        columns.addLayout(right, 6)

        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.error)
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        self.new_button = QPushButton(self.tr("New form"))
        self.drafts_button = QPushButton(self.tr("Drafts…"))
        self.save_button = QPushButton(self.tr("Save draft (Ctrl+S)"))
        self.submit_button = QPushButton(self.tr("Accept and print slip (Ctrl+Enter)"))
        self.submit_button.setObjectName("primary")
        self.submit_button.setMinimumHeight(48)
        for button in (self.new_button, self.drafts_button, self.save_button):
            button.setObjectName("secondary")
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        outer.addLayout(buttons)
        self.new_button.clicked.connect(self.reset)
        self.drafts_button.clicked.connect(self._show_drafts)
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        for key in keymap.keys("save_draft"):
            QShortcut(QKeySequence(key), self, self.save_draft)
        for key in keymap.keys("submit"):
            QShortcut(QKeySequence(key), self, self.submit)
        for edit in (self.name_edit, self.id_edit, self.credit_edit, self.contact_edit, self.phone_edit,
                     self.address_edit, self.account_edit):
            edit.returnPressed.connect(self.focusNextChild)
        self._kind_changed()

    @property
    def field_widgets(self) -> dict[str, QWidget]:
        return {"type_code": self.type_combo, "applicant_kind": self.person_radio, "applicant_name": self.name_edit,
                "id_number": self.id_edit, "credit_code": self.credit_edit, "contact": self.contact_edit,
                "phone": self.phone_edit, "site_address": self.address_edit, "account_no": self.account_edit,
                "requested_size": self.size_combo, "notes": self.notes_edit, "attachments": self.add_file_button}

    # ---- reacting to choices -------------------------------------------------------------------
    def _show_types(self, types: list[TypeInfo]) -> None:
        self.types = {t.code: t.definition for t in types}
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for info in types:
            self.type_combo.addItem(pick(info.definition.name_zh, info.definition.name_en), info.code)
        self.type_combo.blockSignals(False)
        self._type_changed()

    @property
    def definition(self) -> ApplicationTypeDefinition | None:
        return self.types.get(self.type_combo.currentData())

    @property
    def kind(self) -> str:
        return COMPANY if self.company_radio.isChecked() else PERSON

    def _type_changed(self) -> None:
        definition = self.definition
        if definition is None:
            return
        self.form_layout.setRowVisible(self.account_edit, definition.needs_account)
        self.form_layout.setRowVisible(self.size_combo, definition.needs_size)
        self.size_label.setText(pick(definition.size_label_zh, definition.size_label_en) + "：")
        self.checklist.set_documents(definition.documents_for(self.kind))

    def _kind_changed(self) -> None:
        person = self.kind == PERSON
        self.form_layout.setRowVisible(self.id_edit, person)
        self.form_layout.setRowVisible(self.credit_edit, not person)
        self.name_label.setText(self.tr("Applicant &name:") if person else self.tr("Company &name:"))
        self.contact_label.setText(self.tr("Agent (if any):") if person else self.tr("Contact person:"))
        if self.definition is not None:
            self.checklist.set_documents(self.definition.documents_for(self.kind))

    # ---- the form as data ----------------------------------------------------------------------
    def form(self) -> IntakeForm:
        return IntakeForm(
            type_code=self.type_combo.currentData() or "", applicant_kind=self.kind, applicant_name=self.name_edit.text(),
            id_number=self.id_edit.text() if self.kind == PERSON else "",
            credit_code=self.credit_edit.text() if self.kind == COMPANY else "", phone=self.phone_edit.text(),
            contact=self.contact_edit.text(), site_address=self.address_edit.text(),
            account_no=self.account_edit.text() if self.definition and self.definition.needs_account else "",
            requested_size=self.size_combo.currentText() if self.definition and self.definition.needs_size else "",
            documents=self.checklist.states(), attachments=tuple(self.attachments), notes=self.notes_edit.toPlainText())

    def load(self, form: IntakeForm, draft_id: str | None = None) -> None:
        index = self.type_combo.findData(form.type_code)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)
        (self.company_radio if form.applicant_kind == COMPANY else self.person_radio).setChecked(True)
        for edit, value in ((self.name_edit, form.applicant_name), (self.id_edit, form.id_number),
                            (self.credit_edit, form.credit_code), (self.contact_edit, form.contact),
                            (self.phone_edit, form.phone), (self.address_edit, form.site_address),
                            (self.account_edit, form.account_no)):
            edit.setText(value)
        self.size_combo.setCurrentText(form.requested_size)
        self.notes_edit.setPlainText(form.notes)
        if self.definition is not None:
            self.checklist.set_documents(self.definition.documents_for(self.kind), form.documents)
        self.attachments = list(form.attachments)
        self._show_attachments()
        self.draft_id = draft_id

    def reset(self) -> None:
        self.draft_id = None
        for edit in (self.name_edit, self.id_edit, self.credit_edit, self.contact_edit, self.phone_edit,
                     self.address_edit, self.account_edit):
            edit.clear()
        self.size_combo.setCurrentText("")
        self.notes_edit.clear()
        self.attachments = []
        self._show_attachments()
        self.error.clear()
        self.person_radio.setChecked(True)
        if self.definition is not None:
            self.checklist.set_documents([])
            self.checklist.set_documents(self.definition.documents_for(self.kind))
        self.name_edit.setFocus()

    # ---- attachments ---------------------------------------------------------------------------
    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, self.tr("Choose scans or photos"), "",
                                                      self.tr("Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)"))
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> None:
        """Hash and store the files off the GUI thread, then list them."""
        self._tasks.run(lambda: [self._service.store_attachment(p) for p in paths], self._files_stored, self._failed)

    def _files_stored(self, refs: list[AttachmentRef]) -> None:
        known = {(a.sha256, a.filename) for a in self.attachments}
        self.attachments += [r for r in refs if (r.sha256, r.filename) not in known]
        self._show_attachments()

    def _remove_file(self) -> None:
        row = self.attachment_list.currentRow()
        if 0 <= row < len(self.attachments):
            del self.attachments[row]
            self._show_attachments()

    def _show_attachments(self) -> None:
        self.attachment_list.clear()
        for ref in self.attachments:
            item = QListWidgetItem(f"{ref.filename}   ({max(ref.size_bytes // 1024, 1)} KB, {ref.sha256[:10]}…)")
            item.setToolTip(ref.sha256)
            self.attachment_list.addItem(item)

    # ---- drafts --------------------------------------------------------------------------------
    def save_draft(self) -> None:
        form, draft_id = self.form(), self.draft_id
        self._tasks.run(lambda: self._service.save_draft(form, self._who, draft_id), self._draft_saved, self._failed)

    def _draft_saved(self, info: DraftInfo) -> None:
        self.draft_id = info.id
        self.error.clear()
        self.message.setText(self.tr("Draft saved. Resume it later from Drafts…"))
        self.draft_saved.emit(info.id)

    def _show_drafts(self) -> None:
        self._tasks.run(lambda: self._service.list_drafts(self._who), self._drafts_menu, self._failed, write=False)

    def _drafts_menu(self, drafts: list[DraftInfo]) -> None:
        menu = QMenu(self)
        if not drafts:
            menu.addAction(self.tr("No saved drafts")).setEnabled(False)
        for info in drafts:
            name = info.applicant_name or self.tr("(no name yet)")
            kind = self.types.get(info.type_code)
            label = f"{name} · {pick(kind.name_zh, kind.name_en) if kind else info.type_code} · {info.saved_at:%m-%d %H:%M}"
            menu.addAction(label, lambda draft_id=info.id: self.resume_draft(draft_id))
        menu.popup(self.drafts_button.mapToGlobal(self.drafts_button.rect().bottomLeft()))

    def resume_draft(self, draft_id: str) -> None:
        self._tasks.run(lambda: self._service.load_draft(draft_id, self._who),
                        lambda form: (self.load(form, draft_id), self.message.setText(self.tr("Draft resumed."))),
                        self._failed, write=False)

    # ---- accepting -----------------------------------------------------------------------------
    def submit(self) -> None:
        form, draft_id, ticket_id = self.form(), self.draft_id, self._current_ticket()
        self.submit_button.setEnabled(False)
        self.error.clear()
        self._tasks.run(lambda: self._service.submit(form, self._who, draft_id=draft_id, ticket_id=ticket_id),
                        self._accepted, self._failed)

    def _accepted(self, result: Accepted) -> None:
        if result.missing:
            text = self.tr("Accepted: {number}. {n} documents still missing; the slip lists them all and the clock "
                           "is stopped until they are in.").format(number=result.number, n=len(result.missing))
        else:
            text = self.tr("Accepted: {number}. All documents received.").format(number=result.number)
        self.message.setText(text)
        self.reset()
        number = result.number
        self._tasks.run(lambda: self._service.print_acceptance_slip(number),
                        lambda path: self._slip_ready(number, path, text), self._failed, write=False)

    def _slip_ready(self, number: str, path: Path, text: str) -> None:
        self.last_slip = path
        self.submit_button.setEnabled(True)
        self._paper.output(path, lambda report: self.message.setText(f"{text}\n{report}"))
        self.accepted.emit(number, path)

    def _failed(self, error: Exception) -> None:
        self.submit_button.setEnabled(True)
        if not isinstance(error, UserError):
            raise error
        self.error.setText(self.words.explain(error))
        if isinstance(error, InvalidInput):
            field = error.field
            if field.startswith("documents."):
                self.checklist.focus_row(field.split(".", 1)[1])
            elif field in self.field_widgets:
                self.field_widgets[field].setFocus()
