import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskName, validatePersonName } from './names';

const acceptedValue = (raw: string) => {
  const r = validatePersonName(raw);
  if (!r.ok) throw new Error(`expected acceptance, got: ${r.reason}`);
  return r.value;
};
const reasonOf = (raw: string) => {
  const r = validatePersonName(raw);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};

/** Letters from several scripts: Han, Latin with accents, Cyrillic, Arabic. */
const letter = fc.constantFrom(...'张王李欧阳娜明阿卜杜热合曼abcXYZéñÖжДبت'.split(''));
const word = fc.array(letter, { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

describe('validatePersonName: accepted', () => {
  it('accepts Chinese, transliterated and Latin names', () => {
    expect(acceptedValue('张三')).toBe('张三');
    expect(acceptedValue('欧阳娜娜')).toBe('欧阳娜娜');
    expect(acceptedValue('阿卜杜·热合曼')).toBe('阿卜杜·热合曼');
    expect(acceptedValue("Mary-Jane O'Neil")).toBe("Mary-Jane O'Neil");
    expect(acceptedValue('José Müller')).toBe('José Müller');
    expect(acceptedValue('李')).toBe('李');
  });
  it('trims, collapses inner spaces and normalises look-alike dots and apostrophes', () => {
    expect(acceptedValue('\u3000 张三 \n')).toBe('张三');
    expect(acceptedValue('Li   Wei')).toBe('Li Wei');
    expect(acceptedValue('阿卜杜・热合曼')).toBe('阿卜杜·热合曼');
    expect(acceptedValue('阿卜杜•热合曼')).toBe('阿卜杜·热合曼');
    expect(acceptedValue('O\u2019Neil')).toBe("O'Neil");
  });
  it('normalises to NFC so the same name compares equal', () => {
    expect(acceptedValue('Jose\u0301')).toBe('Jos\u00E9');
  });
  it('counts code points, not UTF-16 units: 50 rare Han characters fit', () => {
    const rare = '𠀀'.repeat(50); // U+20000, two UTF-16 units each
    expect(rare.length).toBe(100);
    expect(acceptedValue(rare)).toBe(rare);
    expect(reasonOf(`${rare}𠀀`)).toMatch(/at most 50/);
  });
  it('accepts any words of letters joined by single separators, up to 50 code points', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 5 }),
        fc.array(fc.constantFrom(' ', '-', "'", '·'), { minLength: 4, maxLength: 4 }),
        (words, seps) => {
          const name = words.map((w, i) => (i === 0 ? w : seps[i - 1]! + w)).join('');
          fc.pre([...name].length <= 50);
          expect(validatePersonName(name)).toEqual({ ok: true, value: name });
        },
      ),
    );
  });
});

describe('validatePersonName: rejected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty', '', /required/],
    ['only spaces', '  \u3000 ', /required/],
    ['51 characters', '张'.repeat(51), /at most 50/],
    ['digits', '张三2', /digits/],
    ['full-width digit', '张三２', /digits/],
    ['a tab inside', '张\t三', /control/],
    ['zero-width space', '张\u200B三', /control/],
    ['a NUL', '张\u0000三', /control/],
    ['leading dot', '·热合曼', /only letters/],
    ['trailing hyphen', 'Anne-', /only letters/],
    ['two separators in a row', 'Anne--Marie', /only letters/],
    ['punctuation', '张三!', /only letters/],
    ['an emoji', '张三😀', /only letters/],
    ['HTML', '<b>x</b>', /only letters/],
  ];
  it.each(cases)('rejects %s', (_label, raw, reason) => {
    expect(reasonOf(raw)).toMatch(reason);
  });
  it('rejects a non-string without throwing', () => {
    expect(validatePersonName(null as unknown as string).ok).toBe(false);
  });
  it('never echoes the name in the reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 8, maxLength: 60 }), (raw) => {
        const r = validatePersonName(raw);
        // Short inputs could match a word of the fixed message by chance; 8+ characters cannot, unless echoed.
        if (!r.ok && raw.trim().length >= 8) expect(r.reason).not.toContain(raw.trim());
      }),
    );
  });
  it('any name with a digit is rejected', () => {
    fc.assert(
      fc.property(word, fc.integer({ min: 0, max: 9 }), word, (a, d, b) => {
        expect(validatePersonName(`${a}${d}${b}`).ok).toBe(false);
      }),
    );
  });
});

describe('maskName', () => {
  it('matches the SPEC examples 张* and 欧阳**', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
  });
  it('keeps one code point up to 3, two from 4 on, none for a single character', () => {
    expect(maskName('李')).toBe('*');
    expect(maskName('王小明')).toBe('王**');
    expect(maskName('阿卜杜·热合曼')).toBe('阿卜*****');
    expect(maskName('𠀀𠀁')).toBe('𠀀*');
    expect(maskName('')).toBe('');
  });
  it('keeps the length in code points and hides all but a prefix', () => {
    fc.assert(
      fc.property(fc.array(letter, { minLength: 1, maxLength: 50 }), (chars) => {
        const masked = [...maskName(chars.join(''))];
        expect(masked).toHaveLength(chars.length);
        const keep = chars.length >= 4 ? 2 : chars.length >= 2 ? 1 : 0;
        expect(masked.slice(0, keep)).toEqual(chars.slice(0, keep));
        expect(masked.slice(keep).every((c) => c === '*')).toBe(true);
        expect(masked.filter((c) => c === '*').length).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
