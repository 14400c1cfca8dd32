#!/usr/bin/env bash
# Installs what the Slurm suite (test/slurm) runs a one-node cluster with: Debian's slurmctld,
# slurmd, slurm-client and munge. Called by .ci/run (and by a contributor once), never by `npm test`:
# without the packages, start-slurm.sh exits 3 and the suite is skipped, saying so. Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=(); for p in slurmctld slurmd slurm-client munge; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]} == 0)); then echo "install-slurm: slurmctld, slurmd, slurm-client and munge already installed"; exit 0; fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
