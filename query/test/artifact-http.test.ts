/** Range parsing, Content-Disposition, content types and list cursors of the artifact routes (pure). */
import t from 'tap';
import { contentDisposition, contentTypeFor, decodeCursor, encodeCursor, parseRange } from '../src/routes/artifact-http.js';

t.test('parseRange', async (t) => {
  const etag = '"abc"';
  const r = (header: string | undefined, size = 100, ifRange?: string) => parseRange(header, size, etag, ifRange);
  t.same(r(undefined), { kind: 'full' });
  t.same(r('bytes=0-9'), { kind: 'partial', start: 0, end: 9 });
  t.same(r('bytes=90-'), { kind: 'partial', start: 90, end: 99 });
  t.same(r('bytes=90-500'), { kind: 'partial', start: 90, end: 99 }, 'the end is clamped');
  t.same(r('bytes=-10'), { kind: 'partial', start: 90, end: 99 });
  t.same(r('bytes=-500'), { kind: 'partial', start: 0, end: 99 }, 'a suffix longer than the object is all of it');
  t.same(r('bytes=100-'), { kind: 'unsatisfiable' });
  t.same(r('bytes=-0'), { kind: 'unsatisfiable' });
  t.same(r('bytes=0-', 0), { kind: 'unsatisfiable' }, 'nothing of an empty object');
  t.same(r('bytes=-5', 0), { kind: 'unsatisfiable' });
  for (const ignored of ['bytes=5-2', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b', 'bytes=-', 'bytes 0-1']) t.same(r(ignored), { kind: 'full' }, ignored);
  t.same(r('bytes=0-9', 100, '"abc"'), { kind: 'partial', start: 0, end: 9 }, 'If-Range with the current ETag');
  t.same(r('bytes=0-9', 100, '"old"'), { kind: 'full' }, 'If-Range with another ETag');
});

t.test('contentDisposition', async (t) => {
  t.equal(contentDisposition('ckpt/model.pt'), `attachment; filename="model.pt"; filename*=UTF-8''model.pt`);
  t.equal(contentDisposition('plots/ünï "q" 100%.png'), `attachment; filename="_n_ _q_ 100_.png"; filename*=UTF-8''%C3%BCn%C3%AF%20%22q%22%20100%25.png`);
  t.equal(contentDisposition("it's(1)*.txt"), `attachment; filename="it's(1)*.txt"; filename*=UTF-8''it%27s%281%29%2A.txt`);
});

t.test('contentTypeFor', async (t) => {
  t.equal(contentTypeFor('eval/metrics.json'), 'application/json');
  t.equal(contentTypeFor('plots/LOSS.PNG'), 'image/png');
  t.equal(contentTypeFor('model.pt'), 'application/octet-stream');
  t.equal(contentTypeFor('report.html'), 'application/octet-stream', 'nothing a browser would run');
  t.equal(contentTypeFor('icon.svg'), 'application/octet-stream');
  t.equal(contentTypeFor('.json'), 'application/octet-stream', 'a dot file has no extension');
  t.equal(contentTypeFor('dir.json/README'), 'application/octet-stream');
});

t.test('cursors', async (t) => {
  for (const path of ['a', 'ckpt/epoch-10.pt', 'ünïcødé/файл']) t.equal(decodeCursor(encodeCursor(path)), path);
  for (const bad of ['', '!!', 'a=', 'YQ==', 'YR']) t.equal(decodeCursor(bad), null, JSON.stringify(bad));
});
