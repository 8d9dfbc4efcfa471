import { workerExecArgv } from '../workers';

describe('workerExecArgv', () => {
  it("keeps the primary's flags and sets the old-space limit once", () => {
    expect(workerExecArgv(['--enable-source-maps'], 256)).toEqual(['--enable-source-maps', '--max-old-space-size=256']);
    expect(
      workerExecArgv(['--max-old-space-size=4096', '--enable-source-maps', '--max_old_space_size', '2048'], 192),
    ).toEqual(['--enable-source-maps', '--max-old-space-size=192']);
  });
});
