// The checked-in gen/ must be exactly what scripts/gen.js makes from the checked-in .proto files:
// regenerate into a temporary directory and compare byte for byte. A failure here means someone
// changed a .proto file or upgraded protobufjs(-cli) without running `npm run gen -w proto`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const checkedIn = join(packageDir, 'gen');

/** Where two texts first differ, with a few lines of each, for the failure message. */
function firstDifference(have: string, want: string): Record<string, unknown> {
  if (have === want) return {};
  const haveLines = have.split('\n');
  const wantLines = want.split('\n');
  const at = haveLines.findIndex((line, i) => line !== wantLines[i]);
  const line = at < 0 ? wantLines.length : at;
  return { line: line + 1, checkedIn: haveLines.slice(line, line + 3), generated: wantLines.slice(line, line + 3) };
}

void t.test('gen/ is what scripts/gen.js generates from the .proto files', (t) => {
  // A directory of its own (not t.testdir(), whose path is fixed): the suite may run twice at once.
  const fresh = mkdtempSync(join(tmpdir(), 'mlrun-proto-gen-'));
  t.teardown(() => rmSync(fresh, { recursive: true, force: true }));
  const run = spawnSync(process.execPath, [join(packageDir, 'scripts', 'gen.js'), fresh], { cwd: packageDir, encoding: 'utf8', timeout: 180_000 });
  t.equal(run.status, 0, 'scripts/gen.js succeeds', { stderr: run.stderr, error: run.error?.message });

  t.same(readdirSync(checkedIn).sort(), readdirSync(fresh).sort(), 'the same files');
  for (const file of readdirSync(fresh).sort()) {
    const want = readFileSync(join(fresh, file), 'utf8');
    const have = readFileSync(join(checkedIn, file), 'utf8');
    // Not t.equal on ~1 MB strings: the diff would drown the message. Show the first differing line.
    t.ok(have === want, `gen/${file} is up to date (if not: npm run gen -w proto, and commit gen/)`, firstDifference(have, want));
  }
  t.end();
});
