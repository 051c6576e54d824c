#!/usr/bin/env bash
# A real single-node SLURM cluster on this machine, to try workflow/profiles/slurm locally
# (and for the test suite).  Run as root:
#
#   bash workflow/slurm/local_cluster.sh install   # apt-get the Debian/Ubuntu packages
#   bash workflow/slurm/local_cluster.sh start     # idempotent: starts what is not running
#   bash workflow/slurm/local_cluster.sh status    # exit 0 when every daemon answers
#   bash workflow/slurm/local_cluster.sh stop      # stops the daemons it started (PID files)
#
# Daemons: munged, MariaDB (accounting database), slurmdbd, slurmctld, slurmd; one node
# named after `hostname -s`, one partition `debug`, one account ($SLURM_LOCAL_ACCOUNT,
# default `highdim`) holding root and the invoking user.  Then, e.g.:
#
#   snakemake --profile workflow/profiles/slurm --config scale=quick \
#     --default-resources slurm_account=highdim slurm_partition=debug \
#     --slurm-init-seconds-before-status-checks 5
#
# State, logs and PID files live in $SLURM_LOCAL_DIR (default /var/tmp/highdim-slurm).
# No cgroups: mem_mb is used for scheduling, not enforced.  The script writes
# /etc/slurm/slurm.conf and slurmdbd.conf and refuses to touch ones it did not write.
set -euo pipefail

DIR=${SLURM_LOCAL_DIR:-/var/tmp/highdim-slurm}
ACCOUNT=${SLURM_LOCAL_ACCOUNT:-highdim}
CLUSTER=highdim
PARTITION=debug
HOST=$(hostname -s)
MARK="# written by highdim-dynamics workflow/slurm/local_cluster.sh"
CONF=/etc/slurm/slurm.conf
DBDCONF=/etc/slurm/slurmdbd.conf
MYSQL_RUN=/run/mysqld
PACKAGES=(slurm-wlm slurmdbd munge mariadb-server)
DB_PASS=highdim-local-test   # the accounting database listens on a local socket only

log() { echo "local_cluster: $*" >&2; }
die() { log "error: $*"; exit 1; }

alive() {  # alive PIDFILE: the process of a PID file runs
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2; shift 2
  local end=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "$what did not come up within ${limit} s (logs: $DIR/log)"
    sleep 0.2
  done
}

have_packages() {
  command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v slurmdbd >/dev/null \
    && command -v munged >/dev/null && command -v mariadbd >/dev/null && command -v sacctmgr >/dev/null
}

install_packages() {
  have_packages && return 0
  [ "$(id -u)" = 0 ] || die "installing ${PACKAGES[*]} needs root"
  command -v apt-get >/dev/null || die "no apt-get: install ${PACKAGES[*]} with your package manager"
  log "installing ${PACKAGES[*]} ..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y --no-install-recommends "${PACKAGES[@]}" >/dev/null; }
  have_packages || die "the packages ${PACKAGES[*]} did not provide the SLURM daemons"
}

ours() {  # ours FILE: absent, or written by this script
  [ ! -e "$1" ] || head -1 "$1" | grep -qF "$MARK"
}

write_config() {
  ours "$CONF" || die "$CONF exists and was not written by this script; not touching it"
  ours "$DBDCONF" || die "$DBDCONF exists and was not written by this script; not touching it"
  mkdir -p "$DIR"/{state,spool,run,log} /etc/slurm
  local node
  node=$(slurmd -C | head -1)   # NodeName=<host> CPUs=... RealMemory=...
  cat > "$CONF.tmp" <<CONFEOF
$MARK
ClusterName=$CLUSTER
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=$HOST
AccountingStorageEnforce=associations
AccountingStoreFlags=job_comment
MinJobAge=300
$node
PartitionName=$PARTITION Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONFEOF
  mv "$CONF.tmp" "$CONF"
  ( umask 077
    cat > "$DBDCONF.tmp" <<DBDEOF
$MARK
AuthType=auth/munge
DbdHost=$HOST
SlurmUser=root
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageLoc=slurm_acct_db
StorageUser=slurm
StoragePass=$DB_PASS
PidFile=$DIR/run/slurmdbd.pid
LogFile=$DIR/log/slurmdbd.log
DBDEOF
  )
  chmod 600 "$DBDCONF.tmp" && mv "$DBDCONF.tmp" "$DBDCONF"
}

start_munge() {
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return 0; fi
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- munged
  wait_for 10 munged sh -c 'munge -n | unmunge'
}

mysql_up() { mariadb-admin --socket="$MYSQL_RUN/mysqld.sock" ping; }

start_mariadb() {
  if ! mysql_up >/dev/null 2>&1; then
    mkdir -p "$MYSQL_RUN" && chown mysql:mysql "$MYSQL_RUN"
    [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    setsid mariadbd --user=mysql --datadir=/var/lib/mysql --skip-networking \
      --socket="$MYSQL_RUN/mysqld.sock" --pid-file="$MYSQL_RUN/mysqld.pid" \
      --log-error="$MYSQL_RUN/error.log" --innodb-buffer-pool-size=64M \
      </dev/null >/dev/null 2>&1 &
    wait_for 60 MariaDB mysql_up
  fi
  mariadb --socket="$MYSQL_RUN/mysqld.sock" -e "
    CREATE DATABASE IF NOT EXISTS slurm_acct_db;
    CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
    GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';"
}

start_slurmdbd() {
  alive "$DIR/run/slurmdbd.pid" || slurmdbd </dev/null >/dev/null 2>&1
  wait_for 30 slurmdbd sacctmgr -n list cluster
}

register() {  # cluster, account and users in the accounting database (idempotent)
  sacctmgr -n -P list cluster format=cluster | grep -qx "$CLUSTER" \
    || sacctmgr -i add cluster "$CLUSTER" >/dev/null
  sacctmgr -n -P list account "$ACCOUNT" format=account | grep -qx "$ACCOUNT" \
    || sacctmgr -i add account "$ACCOUNT" Cluster="$CLUSTER" Description="highdim-dynamics local test" \
         Organization=local >/dev/null
  local user
  for user in root ${SUDO_USER:-} ${SLURM_LOCAL_USER:-}; do
    sacctmgr -n -P list assoc user="$user" account="$ACCOUNT" format=user | grep -qx "$user" \
      || sacctmgr -i add user "$user" Account="$ACCOUNT" >/dev/null
  done
}

node_ready() { sinfo -h -n "$HOST" -o %T | grep -qE '^(idle|mixed|allocated)'; }

start_slurm() {
  alive "$DIR/run/slurmctld.pid" || slurmctld </dev/null >/dev/null 2>&1
  wait_for 30 slurmctld scontrol ping
  alive "$DIR/run/slurmd.pid" || slurmd </dev/null >/dev/null 2>&1
  wait_for 60 "node $HOST" node_ready
}

status() {
  local ok=0
  for d in slurmdbd slurmctld slurmd; do
    if alive "$DIR/run/$d.pid"; then echo "$d: running (pid $(cat "$DIR/run/$d.pid"))"
    else echo "$d: not running"; ok=1; fi
  done
  if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then echo "munged: running"; else echo "munged: not running"; ok=1; fi
  if mysql_up >/dev/null 2>&1; then echo "mariadb: running"; else echo "mariadb: not running"; ok=1; fi
  [ $ok = 0 ] && sinfo -h -o "partition %P: node %N %T" 2>/dev/null
  return $ok
}

stop_pid() {  # stop_pid PIDFILE NAME
  if alive "$1"; then
    local pid; pid=$(cat "$1")
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    log "stopped $2"
  fi
  rm -f "$1"
}

stop() {
  stop_pid "$DIR/run/slurmd.pid" slurmd
  stop_pid "$DIR/run/slurmctld.pid" slurmctld
  stop_pid "$DIR/run/slurmdbd.pid" slurmdbd
  stop_pid "$MYSQL_RUN/mysqld.pid" mariadb
  stop_pid /run/munge/munged.pid munged
}

case "${1:-}" in
  install) install_packages ;;
  start)
    [ "$(id -u)" = 0 ] || die "run as root (the daemons and /etc/slurm need it)"
    have_packages || die "SLURM packages missing: run '$0 install' (apt-get install ${PACKAGES[*]})"
    if status >/dev/null 2>&1; then log "already running"; exit 0; fi
    write_config
    start_munge
    start_mariadb
    start_slurmdbd
    register
    start_slurm
    log "cluster $CLUSTER up: partition $PARTITION, account $ACCOUNT (logs: $DIR/log)"
    ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
