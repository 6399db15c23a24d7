/**
 * Person names: validation on enrolment and masking for public disclosure
 * (SPEC §4.3 INVALID_NAME, §4.4 公示). A name is personal data, so no
 * message produced here ever contains it.
 */
import { msg } from '../messages/catalogue';
import type { ParseResult } from './idNumber';

export const NAME_MAX_CODE_POINTS = 50;
export const MIDDLE_DOT = '\u00B7';

/**
 * Chinese input methods and fonts produce several look-alike dots for the
 * separator in transliterated names (阿卜杜·热合曼); the household register
 * uses U+00B7, so the others are stored as that one and names compare equal.
 */
const DOT_LOOKALIKES = /[\u30FB\u2022\u2027\u2219\u22C5\uFF65]/g;
/** Right single quotation mark is what word processors make of an apostrophe. */
const APOSTROPHE_LOOKALIKES = /[\u2019\u02BC]/g;
/** Spaces, including the ideographic space U+3000, collapse to one ASCII space. */
const SPACE_RUN = /[ \u3000\u00A0]+/g;

/** Words of letters (with their combining marks), joined by exactly one separator. */
const NAME_SHAPE = /^(?:\p{L}\p{M}*)+(?:[ '\-\u00B7](?:\p{L}\p{M}*)+)*$/u;

export const validatePersonName = (raw: string): ParseResult<string> => {
  if (typeof raw !== 'string') return { ok: false, reason: 'name must be a string', message: msg('INVALID_NAME', { reason: 'notString' }) };
  const value = raw.normalize('NFC').trim().replace(DOT_LOOKALIKES, MIDDLE_DOT).replace(APOSTROPHE_LOOKALIKES, "'").replace(SPACE_RUN, ' ');
  const length = [...value].length;
  if (length === 0) return { ok: false, reason: 'name is required', message: msg('INVALID_NAME', { reason: 'required' }) };
  if (length > NAME_MAX_CODE_POINTS)
    return {
      ok: false,
      reason: `name must be at most ${NAME_MAX_CODE_POINTS} characters`,
      message: msg('INVALID_NAME', { reason: 'tooLong', max: NAME_MAX_CODE_POINTS }),
    };
  if (/\p{Cc}|\p{Cf}/u.test(value))
    return {
      ok: false,
      reason: 'name must not contain control or invisible characters',
      message: msg('INVALID_NAME', { reason: 'invisible' }),
    };
  if (/\p{N}/u.test(value))
    return { ok: false, reason: 'name must not contain digits', message: msg('INVALID_NAME', { reason: 'digits' }) };
  if (!NAME_SHAPE.test(value)) {
    return {
      ok: false,
      reason: 'name may contain only letters, with single spaces, hyphens, apostrophes or middle dots between them',
      message: msg('INVALID_NAME', { reason: 'letters' }),
    };
  }
  return { ok: true, value };
};

/**
 * Disclosure form of a name (SPEC §4.4: 张*, 欧阳**): every code point after
 * the first is replaced by '*'; from 4 code points on, the first two are kept
 * so a compound surname (欧阳, 司马) stays readable. A one-character name is
 * fully masked so some part is always hidden.
 */
export const maskName = (name: string): string => {
  const chars = [...String(name ?? '').trim()];
  const keep = chars.length >= 4 ? 2 : chars.length >= 2 ? 1 : 0;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
};
