#!/usr/bin/env bash
# A one-node SLURM cluster on this machine (munge, slurmctld, slurmd), for the real-SLURM test and for trying the
# `redundancy-lab slurm` command without a cluster. Needs root and Debian's slurm-wlm and munge packages.
#   scripts/slurm/local-cluster.sh start    writes /tmp/slurm/slurm.conf, starts munged, slurmctld and slurmd, waits until the node is idle
#   scripts/slurm/local-cluster.sh stop     cancels the jobs, stops slurmd, slurmctld and munged
#   scripts/slurm/local-cluster.sh status   sinfo
# Jobs then need SLURM_CONF=/tmp/slurm/slurm.conf (the script prints it); sbatch, squeue … read it from there.
set -euo pipefail
ROOT=/tmp/slurm
CONF=$ROOT/slurm.conf
export SLURM_CONF=$CONF
HOST=$(hostname)
CPUS=${SLURM_LOCAL_CPUS:-2}

start() {
  for tool in munged slurmctld slurmd sbatch; do
    command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin command -v "$tool" >/dev/null || { echo "local-cluster.sh: $tool is missing: apt-get install slurm-wlm munge" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "local-cluster.sh: run as root (the daemons run as root here)" >&2; exit 1; }
  mkdir -p $ROOT/state $ROOT/spool $ROOT/log /run/munge /var/log/munge /var/lib/munge /etc/munge
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; chmod 400 /etc/munge/munge.key; }
  cat > $CONF <<CONFEOF
ClusterName=local
SlurmctldHost=$HOST(127.0.0.1)
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$ROOT/state
SlurmdSpoolDir=$ROOT/spool
SlurmctldPidFile=$ROOT/slurmctld.pid
SlurmdPidFile=$ROOT/slurmd.pid
SlurmctldLogFile=$ROOT/log/slurmctld.log
SlurmdLogFile=$ROOT/log/slurmd.log
MpiDefault=none
MessageTimeout=5
SchedulerType=sched/backfill
NodeName=$HOST NodeAddr=127.0.0.1 NodeHostname=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONFEOF
  # every daemon and client call is bounded: a machine where SLURM cannot start must fail in a minute, not hang CI
  if [ ! -S /run/munge/munge.socket.2 ]; then
    timeout 20 /usr/sbin/munged --force --pid-file=$ROOT/munged.pid
  fi
  [ -f $ROOT/slurmctld.pid ] && kill -0 "$(cat $ROOT/slurmctld.pid)" 2>/dev/null || timeout 30 /usr/sbin/slurmctld </dev/null
  [ -f $ROOT/slurmd.pid ] && kill -0 "$(cat $ROOT/slurmd.pid)" 2>/dev/null || timeout 30 /usr/sbin/slurmd </dev/null
  local deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    if timeout 8 sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
      echo "local SLURM cluster up (node $HOST, $CPUS CPUs); export SLURM_CONF=$CONF"
      return 0
    fi
    timeout 8 scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true
    sleep 1
  done
  echo "local-cluster.sh: the node did not become idle in 60 s; the daemons' logs:" >&2
  timeout 8 sinfo >&2 || true
  for log in $ROOT/log/slurmctld.log $ROOT/log/slurmd.log; do echo "--- $log" >&2; tail -n 15 "$log" >&2 2>/dev/null || true; done
  exit 1
}

stop() {
  # the daemons and any job steps left: nothing of ours keeps running after CI
  for pid in $ROOT/slurmd.pid $ROOT/slurmctld.pid $ROOT/munged.pid; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  for comm in slurmstepd slurmd slurmctld munged; do  # by name through /proc: procps may be missing
    for d in /proc/[0-9]*; do
      [ "$(cat "$d/comm" 2>/dev/null)" = "$comm" ] && kill "${d#/proc/}" 2>/dev/null || true
    done
  done
  sleep 1
  echo "local SLURM cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
