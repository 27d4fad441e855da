// The CPU time (user + system) that Chromium's processes have used so far, by
// process type ("renderer", "gpu-process", "browser", "utility" ...): the
// descendants of this Node process whose command line names --type=..., the
// top one being the browser. For bench/app_startup_bench.mjs: what a first
// visit costs the whole browser, not only the page's main thread. Linux /proc.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;  // USER_HZ, as /proc/PID/stat counts on Linux

function processes() {
  const byPid = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(Number(name), { parent: Number(fields[1]), cpuMs: (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_SECOND,
                                commandLine: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8') });
    } catch { /* the process ended meanwhile */ }
  }
  return byPid;
}

// pid -> { type, cpuMs } for every Chromium process under this Node process.
export function chromiumCpu() {
  const all = processes();
  const isOurs = (pid) => {
    for (let p = pid; p > 1; p = all.get(p)?.parent ?? 0) if (p === process.pid) return true;
    return false;
  };
  const result = new Map();
  for (const [pid, { cpuMs, commandLine }] of all) {
    if (pid === process.pid || !isOurs(pid) || !/chrom/i.test(commandLine.split('\0')[0])) continue;
    const type = commandLine.match(/--type=([a-z-]+)/)?.[1] ?? 'browser';
    result.set(pid, { type, cpuMs });
  }
  return result;
}

// CPU ms per process type between two chromiumCpu() samples (a process that
// started in between counts from zero).
export function cpuBetween(before, after) {
  const byType = {};
  for (const [pid, { type, cpuMs }] of after) byType[type] = (byType[type] ?? 0) + cpuMs - (before.get(pid)?.cpuMs ?? 0);
  return byType;
}
