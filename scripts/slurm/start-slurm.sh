#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for tests: munge + slurmctld + slurmd, all state in
# one folder. Needs root (CI and these machines run as root) and Debian's packages, which
# install-slurm.sh installs (.ci/run calls it):  slurmctld slurmd slurm-client munge
# Usage:  eval "$(bash start-slurm.sh DIR)"     # exports SLURM_CONF; sinfo/sbatch/squeue then work
#         bash stop-slurm.sh DIR
# Completed jobs are logged one line each to DIR/jobs.txt (jobcomp/filetxt): a test can see that
# work really went through Slurm (JobId, Name, JobState, ExitCode, ...).
# Tuned for tests of trivial tasks: the node offers 8 job slots per core (config_overrides) and
# batch jobs are scheduled at submission (no defer_batch, no batch_sched_delay).
# Exit code 3 (with one line on stderr): the packages are not installed.
set -euo pipefail
DIR="$(mkdir -p "${1:?usage: start-slurm.sh DIR}" && cd "$1" && pwd)"
need=(); for p in slurmctld slurmd slurm-client munge; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then echo "Slurm is not installed here (missing ${need[*]}; bash scripts/slurm/install-slurm.sh installs them)" >&2; exit 3; fi
mkdir -p "$DIR"/{state,spool,log,munge}
HOST="$(hostname)"; SLOTS=$(( $(nproc) * 8 )); MEM=$(( $(free -m | awk '/Mem:/{print $2}') / 2 ))
# munge: one key per cluster folder; its own socket so parallel clusters do not meet.
[ -f "$DIR/munge/munge.key" ] || { dd if=/dev/urandom bs=1 count=1024 of="$DIR/munge/munge.key" 2>/dev/null; }
chmod 755 "$DIR/munge"; chmod 400 "$DIR/munge/munge.key"
SOCK="$DIR/munge/munge.socket"
# As root with --force: CI runs as root, and the daemon's files stay inside DIR.
/usr/sbin/munged --force --key-file="$DIR/munge/munge.key" --socket="$SOCK" --pid-file="$DIR/munge/munged.pid" \
  --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed" 2>/dev/null
# Ports: pick two free ones so a second cluster (or a leftover) does not collide.
read -r P1 P2 < <(node -e "const n=require('net');const f=()=>new Promise(r=>{const s=n.createServer();s.listen(0,'127.0.0.1',()=>{const p=s.address().port;s.close(()=>r(p))})});Promise.all([f(),f()]).then(p=>console.log(p.join(' ')))")
cat > "$DIR/slurm.conf" <<CONF
ClusterName=local
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCK
CredType=cred/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldPort=$P1
SlurmdPort=$P2
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmdParameters=config_overrides
JobCompType=jobcomp/filetxt
JobCompLoc=$DIR/jobs.txt
AccountingStorageType=accounting_storage/none
NodeName=$HOST CPUs=$SLOTS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$DIR/slurm.conf"
/usr/sbin/slurmctld -f "$SLURM_CONF" -i
/usr/sbin/slurmd -f "$SLURM_CONF"
for _ in $(seq 1 60); do sinfo -h -o %T 2>/dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %T | grep -q idle || { echo "slurm did not come up; see $DIR/log" >&2; exit 1; }
echo "export SLURM_CONF=$SLURM_CONF"
