import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inOrder, KEY_ATTRIBUTES, stripKeys } from './keys';

// Attribute names as items have them (never integer-like: JavaScript orders those first whatever the code does).
const attr = fc.oneof(
  fc.constantFrom(...KEY_ATTRIBUTES, 'claimId', 'status', 'version', 'unitId'),
  fc.stringMatching(/^[a-z][A-Za-z0-9]{0,7}$/),
);
const items = fc.dictionary(attr, fc.oneof(fc.integer(), fc.string()), { maxKeys: 20 });

describe('item codecs', () => {
  it('stripKeys drops exactly the key attributes and keeps every other value', () => {
    fc.assert(
      fc.property(items, (item) => {
        const out = stripKeys(item);
        for (const k of KEY_ATTRIBUTES) expect(k in out).toBe(false);
        for (const [k, v] of Object.entries(item))
          if (!(KEY_ATTRIBUTES as readonly string[]).includes(k)) expect((out as Record<string, unknown>)[k]).toBe(v);
      }),
    );
  });

  it('inOrder gives the leading fields in their order, then the rest alphabetically, without key attributes', () => {
    const order = inOrder<Record<string, unknown>>(['claimId', 'pk', 'status', 'version']);
    fc.assert(
      fc.property(items, (item) => {
        const out = order(item);
        const plain = Object.keys(item).filter((k) => !(KEY_ATTRIBUTES as readonly string[]).includes(k));
        const lead = ['claimId', 'status', 'version'].filter((k) => plain.includes(k));
        expect(Object.keys(out)).toEqual([...lead, ...plain.filter((k) => !lead.includes(k)).sort()]);
        for (const k of plain) expect(out[k]).toBe(item[k]);
      }),
    );
  });
});
