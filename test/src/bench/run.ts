import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { REPO_ROOT } from '@bicentennial/tools/stack';

/** Runs a command of the repository (node + tsx) and returns its exit code and output. */
export function runScript(script: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--conditions=@bicentennial/source', '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** The number before "rows/s" in a command's summary line. */
export function rowsPerSecond(output: string): number {
  const match = /\(([\d,]+) rows\/s\)/.exec(output);
  if (!match) throw new Error(`no rows/s in:\n${output}`);
  return Number(match[1]!.replace(/,/g, ''));
}

/** A CSV of `count` valid drug seizures for border-trade, written as a stream. */
export async function drugSeizureFile(path: string, prefix: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('recordId,location,portCode,state,seizedOn,drug,quantity,unit,mode,sourceId\n');
  for (let n = 1; n <= count; n++) {
    const line = `${prefix}-${n},AT_PORT,2304,US-TX,2024-0${(n % 9) + 1}-1${n % 10},COCAINE,${(n % 50) + 1},KILOGRAMS,CARGO,synthetic-border-trade\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
