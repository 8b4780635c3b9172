/** The object key rules and the artifact key layout (pure). */
import t from 'tap';
import { artifactKey, keyProblem, MAX_KEY_BYTES, runKeyPrefix } from '../src/index.js';

t.test('valid keys', async (t) => {
  for (const key of ['a', 'a/b/c.txt', 'model.v2/weights-001.safetensors', '.hidden', 'a/..b/c..', 'ünïcødé/файл', 'x'.repeat(255)]) {
    t.equal(keyProblem(key), null, key);
  }
});

t.test('each rule names its problem', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['', /empty/],
    ['/etc/passwd', /absolute/],
    ['a//b', /empty segment/],
    ['a/', /empty segment/],
    ['..', /'\.\.' segment/],
    ['a/../b', /'\.\.' segment/],
    ['./a', /'\.' segment/],
    ['a\u0000b', /control character/],
    ['a\nb', /control character/],
    ['a\\..\\b', /backslash/],
    ['x'.repeat(256), /segment longer than 255/],
    [Array.from({ length: 9 }, () => 'y'.repeat(120)).join('/'), new RegExp(`longer than ${MAX_KEY_BYTES} bytes`)],
    ['é'.repeat(128), /segment longer than 255 bytes/], // 256 bytes of UTF-8 in 128 characters
  ];
  for (const [key, problem] of cases) t.match(keyProblem(key), problem, JSON.stringify(key.slice(0, 20)));
});

t.test('project and run ids are one segment each, injectively', async (t) => {
  t.equal(runKeyPrefix('vision', 'run-1'), 'vision/run-1/');
  t.equal(runKeyPrefix('a/b', 'c'), 'a%2Fb/c/');
  t.equal(runKeyPrefix('a', 'b/c'), 'a/b%2Fc/');
  t.equal(runKeyPrefix('..', '.'), '%2E./%2E/');
  t.equal(runKeyPrefix('%2E.', 'x'), '%252E./x/', 'an id that looks encoded is encoded again');
  t.equal(artifactKey('p', 'r', 'ckpt/epoch-3.pt'), 'p/r/ckpt/epoch-3.pt');
  t.throws(() => artifactKey('p', 'r', 'a/../../../etc'), { code: 'invalid_key', message: /artifact path "a\/\.\.\/\.\.\/\.\.\/etc" has a '\.\.' segment/ });
  t.throws(() => artifactKey('', 'r', 'a'), { code: 'invalid_key' });
});
