"""The first-run wizard end to end: fields refused at the page with the rule, a valid TOML written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWizard

from counter_app.core.config import load_settings
from counter_app.core.config_file import write_config
from counter_app.gui.setup.errors import config_error_box
from counter_app.gui.setup.wizard import SetupWizard


def make(qtbot, tmp_path: Path, role: str = "counter") -> SetupWizard:  # type: ignore[no-untyped-def]
    wizard = SetupWizard(tmp_path / "counter_app.toml", tmp_path, preset_role=role)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_bad_fields_are_refused_at_their_page_and_a_valid_config_is_written(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = make(qtbot, tmp_path)
    wizard.branch_code.setText("b17 x")
    wizard.next()
    assert wizard.currentPage() is wizard.role_page
    assert "branch.code" in wizard.role_page.error.text()
    wizard.branch_code.setText("B017")
    wizard.branch_name.setText("城东营业厅")
    wizard.utility.setText("示范市自来水有限公司")
    wizard.next()
    assert wizard.currentPage() is wizard.role_page and "window" in wizard.role_page.error.text()
    wizard.window.setValue(3)
    wizard.next()
    assert wizard.currentPage() is wizard.network_page

    wizard.hub_url.setText("192.168.1.10")  # no scheme
    wizard.token.setText("change-me-branch-device-token")
    wizard.next()
    assert wizard.currentPage() is wizard.network_page and "hub.url" in wizard.network_page.error.text()
    wizard.hub_url.setText("http://192.168.1.10:8765")
    wizard.next()
    assert wizard.currentPage() is wizard.devices_page  # the token's rule is checked on the whole file
    wizard.accept()
    assert wizard.written is None and "hub.token" in wizard.devices_page.error.text()
    assert not (tmp_path / "counter_app.toml").exists()

    wizard.token.setText("b017-hall-secret-2026")
    wizard.code.setText("ENROL-123456")
    wizard.hq_url.setText("https://hq.example.cn")
    wizard.print_test_page()  # no printer chosen: the test page is a PDF in the data folder
    assert (tmp_path / "receipts" / "setup-test-page.pdf").read_bytes().startswith(b"%PDF")
    wizard.accept()
    assert wizard.result() == QWizard.DialogCode.Accepted
    settings = load_settings(tmp_path / "counter_app.toml")
    assert (settings.role, settings.window, settings.branch.code, settings.hub.url) == ("counter", 3, "B017", "http://192.168.1.10:8765")
    assert settings.hq.enrolment_code == "ENROL-123456" and settings.evaluator.mode == "screen"
    assert (tmp_path / "counter_app.toml").stat().st_mode & 0o077 == 0  # the token is for its owner only


def test_a_hub_gets_a_random_token_and_listens_on_the_network(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = make(qtbot, tmp_path, "hub")
    wizard.branch_code.setText("B017")
    wizard.branch_name.setText("城东营业厅")
    wizard.utility.setText("示范市自来水有限公司")
    wizard.next()
    wizard.new_token.click()
    assert len(wizard.token.text()) >= 20
    wizard.next()
    wizard.accept()
    settings = load_settings(tmp_path / "counter_app.toml")
    assert settings.role == "hub" and settings.hub.listen_host == "0.0.0.0" and settings.hub.listen_port == 8765


def test_the_config_error_dialog_names_the_key_and_the_rule(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from counter_app.core.config import ConfigError

    with pytest.raises(ConfigError) as refused:
        write_config({"role": "kiosk", "hub": {"url": "not an address"}}, tmp_path / "k.toml")
    assert not (tmp_path / "k.toml").exists()
    box = config_error_box(refused.value)
    qtbot.addWidget(box)
    assert "hub.url" in box.informativeText() and "hub.url" in box.detailedText()


def test_the_config_error_dialog_speaks_chinese_with_the_translation_installed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QTranslator

    from counter_app.core.config import ConfigError, settings_from_dict
    from counter_app.core.paths import resources_dir

    translator = QTranslator()
    assert translator.load(str(resources_dir() / "translations" / "counter_app_zh_CN.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        try:
            settings_from_dict({"role": "kiosk", "hub": {"token": "change-me-branch-device-token"}})
        except ConfigError as error:
            box = config_error_box(error)
        qtbot.addWidget(box)
        assert box.windowTitle() == "配置错误"
        assert "设置项：hub.token" in box.informativeText() and "不接受示例文件中的占位符" in box.informativeText()
    finally:
        QCoreApplication.removeTranslator(translator)
