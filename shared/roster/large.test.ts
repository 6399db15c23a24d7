/**
 * The S3 import's worst case (SPEC §4.3): 50,000 rows read through readRoster
 * as a stream, memory sampled while reading. Peaks are reported, not asserted
 * (they depend on when V8 collects); what is asserted is that the live heap,
 * measured after a forced collection, does not grow with the rows read.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildXlsx, encodeGbk, type XCell } from '../../test/fixtures/writers';
import { computeCheckChar } from '../domain/idNumber';
import { type RosterFormat, readRoster } from './read';

const ROWS = 50_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const SURNAMES = '王李张刘陈杨赵黄周吴';
const person = (k: number) => {
  const first17 = `${440305 + (k % 7)}${1965 + (k % 35)}${String((k % 12) + 1).padStart(2, '0')}${String((k % 28) + 1).padStart(2, '0')}${String(k % 1000).padStart(3, '0')}`;
  return {
    idNumber: first17 + computeCheckChar(first17),
    name: `${SURNAMES[k % 10]}${SURNAMES[(k >> 3) % 10]}${k % 2 ? '明' : '芳'}`,
    shares: 1 + (k % 3),
  };
};

/** A GBK CSV made on the fly, 64 KiB at a time, so the test itself holds no whole file. */
async function* csvSource() {
  let text = '序号,身份证号,姓名,份数,手机号\r\n';
  for (let k = 0; k < ROWS; k++) {
    const p = person(k);
    text += `${k + 1},${p.idNumber},${p.name},${p.shares},139${String(k).padStart(8, '0')}\r\n`;
    if (text.length > 32 * 1024) {
      yield encodeGbk(text);
      text = '';
    }
  }
  yield encodeGbk(text);
}

async function* bufferSource(bytes: Uint8Array) {
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;

const measure = async (format: RosterFormat, source: AsyncIterable<Uint8Array>) => {
  gc();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  const live: number[] = [];
  let rows = 0;
  let malformed = 0;
  for await (const line of readRoster(source, format, { maxRows: ROWS })) {
    rows++;
    if ('malformed' in line) malformed++;
    if (rows % 500 === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }
    if (rows % 10_000 === 0) {
      gc();
      live.push(process.memoryUsage().heapUsed);
    }
  }
  console.log(
    `${format}: ${rows} rows; heapUsed ${mb(base.heapUsed)} → peak ${mb(peakHeap)} (+${mb(peakHeap - base.heapUsed)}); ` +
      `rss ${mb(base.rss)} → peak ${mb(peakRss)}; live heap after GC every 10,000 rows: ${live.map(mb).join(', ')}`,
  );
  return { rows, malformed, growth: live.at(-1)! - live[0]! };
};

describe('50,000-row rosters through readRoster', () => {
  it('reads a GBK CSV as a stream', async () => {
    const m = await measure('csv', csvSource());
    expect(m).toMatchObject({ rows: ROWS, malformed: 0 });
    // Holding the rows read would add ~10 MB between the first and the last sample.
    expect(m.growth).toBeLessThan(3 * 2 ** 20);
  });

  it('reads a workbook as a stream (spooled to a temp file)', async () => {
    const rows: XCell[][] = [['序号', '姓名', '身份证号', '份数', '手机号']];
    for (let k = 0; k < ROWS; k++) {
      const p = person(k);
      rows.push([k + 1, p.name, p.idNumber, p.shares, 13900000000 + k]);
    }
    const book = buildXlsx([{ name: '名册', rows }]);
    rows.length = 0;
    console.log(`xlsx: ${mb(book.length)} workbook`);
    const m = await measure('xlsx', bufferSource(book));
    expect(m).toMatchObject({ rows: ROWS, malformed: 0 });
    expect(m.growth).toBeLessThan(3 * 2 ** 20);
  });
});
