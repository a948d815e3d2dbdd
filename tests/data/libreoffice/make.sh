#!/bin/sh
# Rebuilds the spreadsheets of this folder with LibreOffice Calc, as users make them:
# the glossary's own export of the seed (plus tricky.csv) opened in Calc and saved again.
# Needs Debian's libreoffice-calc-nogui. From the project root:
#     sh tests/data/libreoffice/make.sh
set -eu
here=tests/data/libreoffice
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GLOSSARY_SQLITE_PATH="$work/db.sqlite3" GLOSSARY_CACHE_DIR="$work/cache"
export DJANGO_SECRET_KEY=tests-data-only DJANGO_DEBUG=0
manage=".venv/bin/python manage.py"
$manage migrate --verbosity 0
$manage load_seed
$manage import_glossary "$here/tricky.csv"
$manage export_glossary --format csv --output "$work/glossary.csv"
$manage export_glossary --format xlsx --output "$work/glossary.xlsx"

calc() {  # calc OUTPUT-NAME CONVERT-TO INPUT [INPUT-FILTER]
    out="$work/out-$1"
    if [ -n "${4:-}" ]; then
        soffice --headless "-env:UserInstallation=file://$work/profile" --infilter="$4" \
            --convert-to "$2" --outdir "$out" "$3" >/dev/null
    else
        soffice --headless "-env:UserInstallation=file://$work/profile" \
            --convert-to "$2" --outdir "$out" "$3" >/dev/null
    fi
    cp "$out"/* "$here/$1"
}
# Calc's CSV filter options: separator, quote, encoding (76 UTF-8, 1 Windows-1252), first line.
# The XLSX export, opened and saved again (a translator handing a file back).
calc export-resaved-by-calc.xlsx xlsx "$work/glossary.xlsx"
# The CSV export opened (UTF-8, commas) and saved as French Excel writes CSV.
calc export-saved-by-calc-semicolon-windows-1252.csv \
    "csv:Text - txt - csv (StarCalc):59,34,1,1" "$work/glossary.csv" "CSV:44,34,76,1"
# The CSV export opened and saved as XLSX.
calc export-csv-saved-as-xlsx-by-calc.xlsx xlsx "$work/glossary.csv" "CSV:44,34,76,1"
# A translator's file with only slug and definition_en, saved as XLSX.
calc translator-by-calc.xlsx xlsx "$here/translator.csv" "CSV:44,34,76,1"
# The CSV export saved as tab-separated UTF-8 text.
calc export-saved-by-calc-tab-utf8.csv \
    "csv:Text - txt - csv (StarCalc):9,34,76,1" "$work/glossary.csv" "CSV:44,34,76,1"
# Files that are not a glossary we read: Calc's own format, the old Excel format, a PDF,
# a workbook of other columns.
calc export-saved-by-calc.ods ods "$work/glossary.xlsx"
calc export-saved-by-calc-excel-97.xls "xls:MS Excel 97" "$work/glossary.xlsx"
calc export-printed-by-calc.pdf pdf "$work/glossary.xlsx"
calc other-columns-by-calc.xlsx xlsx "$here/other-columns.csv" "CSV:44,34,76,1"
# A team's own two-column sheet (English, French, a comment), saved as XLSX: another
# tool's columns, which the import asks an editor to assign.
calc plain-sheet-by-calc.xlsx xlsx "$here/plain-sheet.csv" "CSV:44,34,76,1"
