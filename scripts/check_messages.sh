#!/usr/bin/env bash
# Every string marked for translation has its English in the catalogue: the catalogue is
# regenerated in a copy of the sources, and a new (untranslated) or fuzzy entry fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
cp -r manage.py onewindow "$work/"
(cd "$work" && DEBUG=1 "$root/.venv/bin/python" manage.py makemessages -l en -v 0)
catalogue="$work/onewindow/locale/en/LC_MESSAGES/django.po"
# msgattrib prints the catalogue's header first, up to its first blank line: the rest is what is missing.
missing=$( (msgattrib --untranslated --no-obsolete --no-location "$catalogue" | sed '1,/^$/d'
  msgattrib --only-fuzzy --no-obsolete --no-location "$catalogue" | sed '1,/^$/d') )
if [ -n "$missing" ]; then
  echo "English missing in onewindow/locale/en/LC_MESSAGES/django.po (make messages, then translate):" >&2
  echo "$missing" >&2
  exit 1
fi
