const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<string, string> = {
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
  FATAL: '\x1b[31m',
  DEBUG: '\x1b[90m',
  TRACE: '\x1b[90m',
};
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

/**
 * One child's log line for a person at a terminal: `12:01:02 INFO  [firearms] serving url=…`.
 * Lines that are not pino JSON are printed as they are, with the prefix.
 */
export function formatLogLine(service: string, width: number, line: string, color: boolean): string {
  const prefix = `[${service}]`.padEnd(width + 2);
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || !('msg' in parsed)) return `${prefix} ${line}`;
    record = parsed;
  } catch {
    return `${prefix} ${line}`;
  }
  const time = typeof record['time'] === 'number' ? new Date(record['time']).toISOString().slice(11, 19) : '';
  const level = LEVELS[Number(record['level'])] ?? 'INFO';
  const extras = Object.entries(record)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const text = `${time} ${level.padEnd(5)} ${prefix} ${String(record['msg']).replace(/\s*\n\s*/g, ' ')}${extras ? ` ${extras}` : ''}`;
  const tint = color ? COLORS[level] : undefined;
  return tint ? `${tint}${text}\x1b[0m` : text;
}
