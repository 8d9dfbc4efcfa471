import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What the bench reads of one process's `/proc/<pid>/stat`. */
export interface ProcessStat {
  pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters). */
  comm: string;
  ppid: number;
  /** CPU time in user mode, in clock ticks (`CLK_TCK`, usually 100 a second). */
  utime: number;
  /** CPU time in kernel mode, in clock ticks. */
  stime: number;
}

/**
 * Parses `/proc/<pid>/stat` (proc(5)). The name, field 2, is in parentheses and may itself hold
 * spaces and parentheses, so the fields are counted from the last `)`: state is field 3, ppid 4,
 * utime 14, stime 15.
 */
export function parseProcessStat(text: string): ProcessStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const field = (n: number) => {
    const value = Number(rest[n - 3]);
    if (!Number.isFinite(value)) throw new Error(`/proc/${pid}/stat: field ${n} is not a number`);
    return value;
  };
  return { pid, comm: text.slice(open + 1, close), ppid: field(4), utime: field(14), stime: field(15) };
}

/** What the bench reads of `/proc/<pid>/status`: resident memory now and its peak, in bytes. */
export interface ProcessMemory {
  rss: number;
  /** VmHWM: the largest resident set the process has had since it started. */
  peakRss: number;
}

/** Parses the `VmRSS` and `VmHWM` lines of `/proc/<pid>/status` (kB, meaning KiB). */
export function parseProcessStatus(text: string): ProcessMemory {
  const kib = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
    // Kernel threads and zombies have no memory lines.
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
}

/** `root` and every process descended from it, given every process's parent. */
export function processTree(root: number, stats: readonly Pick<ProcessStat, 'pid' | 'ppid'>[]): number[] {
  const children = new Map<number, number[]>();
  for (const { pid, ppid } of stats) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]!) ?? []));
  return tree;
}

/** CPU ticks used between two readings by the processes of the second (a process new since the first counts from zero). */
export function cpuTicksBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let ticks = 0;
  for (const [pid, now] of after) ticks += now - (before.get(pid) ?? 0);
  return ticks;
}

function readStat(pid: number): ProcessStat | undefined {
  try {
    return parseProcessStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    // Gone between the listing and the read.
    return undefined;
  }
}

/** Every process of the machine (only /proc's numeric entries are processes). */
export function allProcesses(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
}

/** utime + stime of each process that still exists, in clock ticks. */
export function readCpuTicks(pids: readonly number[]): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) ticks.set(pid, stat.utime + stat.stime);
  }
  return ticks;
}

/** Resident memory of each process that still exists. */
export function readMemory(pids: readonly number[]): Map<number, ProcessMemory> {
  const memory = new Map<number, ProcessMemory>();
  for (const pid of pids) {
    try {
      memory.set(pid, parseProcessStatus(readFileSync(`/proc/${pid}/status`, 'utf8')));
    } catch {
      // gone
    }
  }
  return memory;
}

/** Clock ticks per second (`getconf CLK_TCK`; 100 on every Linux the bench has met). */
export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** Whether this machine has a /proc to read (Linux): the bench measures CPU and memory there. */
export function procfsAvailable(): boolean {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}
