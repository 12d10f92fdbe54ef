#!/usr/bin/env bash
# Refresh the .ts sources from the code and forms, then compile them to .qm:
#   ./scripts/update-translations.sh      (edit resources/translations/*.ts with pyside6-linguist)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
for lang in zh_CN; do
    "$BIN/pyside6-lupdate" -no-obsolete -locations none $(find counter_app/gui -name "*.py") ui/*.ui -ts "resources/translations/counter_app_${lang}.ts"
    "$BIN/pyside6-lrelease" -silent "resources/translations/counter_app_${lang}.ts" -qm "resources/translations/counter_app_${lang}.qm"
done
