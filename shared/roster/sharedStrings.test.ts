import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStrings, MemoryStrings } from './sharedStrings';

const dir = mkdtempSync(join(tmpdir(), 'sst-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shared-string tables', () => {
  it('the file-backed table returns what the in-memory one does, for any texts', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('x'.repeat(70_000))), { maxLength: 60 }),
        (texts) => {
          const file = new FileStrings(join(dir, `s${n++}`));
          const memory = new MemoryStrings();
          for (const t of texts) {
            file.add(t);
            memory.add(t);
          }
          for (let i = -1; i <= texts.length; i++) expect(file.get(i)).toBe(memory.get(i));
          file.close();
          file.close(); // closing twice is harmless
        },
      ),
      { numRuns: 60 },
    );
  });
  it('reads back while still being filled', () => {
    const file = new FileStrings(join(dir, 'interleaved'));
    for (let i = 0; i < 5000; i++) {
      file.add(`第${i}行`);
      if (i % 997 === 0) expect(file.get(i)).toBe(`第${i}行`);
    }
    expect(file.get(4999)).toBe('第4999行');
    expect(file.get(5000)).toBeUndefined();
    file.close();
  });
});
