#!/bin/sh
# Create the `crm` account and the folders with owner-only permissions (run as root once,
# and again after restoring files by hand). `tui-crm doctor` checks the same modes.
set -eu
id crm >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/tui-crm \
    --shell /bin/sh crm
install -d -o crm -g crm -m 0700 /var/lib/tui-crm /var/lib/tui-crm/exports \
    /var/lib/tui-crm/nightly /var/log/tui-crm
install -d -o root -g crm -m 0750 /etc/tui-crm
[ -e /etc/tui-crm/env ] || install -o root -g crm -m 0640 /dev/null /etc/tui-crm/env
chown root:crm /etc/tui-crm/env && chmod 0640 /etc/tui-crm/env
for f in /var/lib/tui-crm/crm.db /var/lib/tui-crm/crm.db-wal /var/lib/tui-crm/crm.db-shm; do
    if [ -e "$f" ]; then chown crm:crm "$f" && chmod 0600 "$f"; fi
done
