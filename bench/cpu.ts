import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of this Node process and of the DynamoDB Local JVM (our child), to see who is busy. */
export interface CpuSnapshot {
  wallMs: number;
  nodeMs: number;
  jvmMs: number;
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const children = (pid: number): number[] => {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) out.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    /* not Linux, or the process is gone */
  }
  return out;
};

/** The java child serving `port` (DynamoDB Local is spawned by this process). */
export const findJvm = (port: number): number | undefined =>
  children(process.pid).find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmd.some((a) => a.includes('DynamoDBLocal.jar')) && cmd.includes(String(port));
    } catch {
      return false;
    }
  });

const jvmMs = (pid: number | undefined): number => {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the ")" of the command name: utime is the 12th, stime the 13th.
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(rest[11]) + Number(rest[12])) / TICKS) * 1000;
  } catch {
    return Number.NaN;
  }
};

export const snapshot = (jvmPid: number | undefined): CpuSnapshot => {
  const u = process.cpuUsage();
  return { wallMs: performance.now(), nodeMs: (u.user + u.system) / 1000, jvmMs: jvmMs(jvmPid) };
};

export const since = (a: CpuSnapshot, jvmPid: number | undefined): CpuSnapshot => {
  const b = snapshot(jvmPid);
  return { wallMs: b.wallMs - a.wallMs, nodeMs: b.nodeMs - a.nodeMs, jvmMs: b.jvmMs - a.jvmMs };
};

export const add = (a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot => ({
  wallMs: a.wallMs + b.wallMs,
  nodeMs: a.nodeMs + b.nodeMs,
  jvmMs: a.jvmMs + b.jvmMs,
});

export const ZERO: CpuSnapshot = { wallMs: 0, nodeMs: 0, jvmMs: 0 };

/**
 * DynamoDB Local keeps compiling for a while after it starts (≈ 250 ms of CPU
 * a second when idle, measured here). Waits, bounded, until it is quiet, and
 * returns its idle CPU rate (ms per s) at that point.
 */
export const settleJvm = async (jvmPid: number | undefined, quietMsPerSec = 50, maxWaitMs = 20_000): Promise<number> => {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const before = snapshot(jvmPid);
    await new Promise((r) => setTimeout(r, 1000));
    const c = since(before, jvmPid);
    const rate = (c.jvmMs / c.wallMs) * 1000;
    if (!(rate > quietMsPerSec) || Date.now() > deadline) return rate;
  }
};
