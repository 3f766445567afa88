import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_DIR } from '../helpers';

/** Folder of the Lua test stubs (sources, not compiled: resolved from the repository). */
export const LUA_TEST_DIR = path.join(REPO_DIR, 'test', 'lua');

/** Runs `luajit` with `args`; fails with an install hint when LuaJIT is missing and with stderr when the script fails. */
export function runLuaJit(args: readonly string[]): string {
  const result = spawnSync('luajit', [...args], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('luajit is not installed: these tests run the generated Envoy Lua in LuaJIT 2.1 '
      + '(the Lua of Envoy\'s Lua filter); install it with `apt-get install luajit`');
  }
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`luajit ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** The UTF-8 text of a byte string printed by the Lua runner (one char per byte). */
export function utf8(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
