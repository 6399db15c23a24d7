import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inScope, isManager, isRole, isStrictAncestor, type Principal, roleFitsOrgKind, withArticle } from './scope';

const tree = {
  root: ['root'],
  east: ['root', 'east'],
  west: ['root', 'west'],
  eastUnit: ['root', 'east', 'e-unit'],
  westUnit: ['root', 'west', 'w-unit'],
};
const org = (k: keyof typeof tree) => ({ id: tree[k].at(-1)!, path: tree[k] });
const who = (orgId: string, role: Principal['role'] = 'office_staff'): Principal => ({ sub: 'u1', role, orgId });

describe('inScope', () => {
  it('reaches itself and its descendants', () => {
    expect(inScope(who('east'), org('east'))).toBe(true);
    expect(inScope(who('east'), org('eastUnit'))).toBe(true);
    expect(inScope(who('root', 'federation_admin'), org('westUnit'))).toBe(true);
  });
  it('never reaches a sibling, an ancestor or a cousin', () => {
    expect(inScope(who('east'), org('west'))).toBe(false);
    expect(inScope(who('east'), org('root'))).toBe(false);
    expect(inScope(who('east'), org('westUnit'))).toBe(false);
    expect(inScope(who('e-unit', 'unit_admin'), org('east'))).toBe(false);
  });
  it('is exactly "the caller org lies on the path" for any path', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z]{2,6}$/), { minLength: 1, maxLength: 6 }), fc.nat(), (path, i) => {
        const target = { id: path.at(-1)!, path };
        const onPath = path[i % path.length]!;
        expect(inScope(who(onPath), target)).toBe(true);
        expect(inScope(who(`${onPath}-x`), target)).toBe(false);
      }),
    );
  });
});

describe('isStrictAncestor', () => {
  it('excludes the org itself', () => {
    expect(isStrictAncestor(who('east'), org('east'))).toBe(false);
    expect(isStrictAncestor(who('east'), org('eastUnit'))).toBe(true);
    expect(isStrictAncestor(who('root'), org('east'))).toBe(true);
    expect(isStrictAncestor(who('west'), org('eastUnit'))).toBe(false);
  });
});

describe('roles', () => {
  it('knows the three roles and which manage', () => {
    expect(isRole('federation_admin')).toBe(true);
    expect(isRole('admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
    expect(isManager('office_staff')).toBe(true);
    expect(isManager('unit_admin')).toBe(false);
  });
});

describe('roleFitsOrgKind (SPEC §2)', () => {
  it('federation_admin only at the root, office_staff at offices and agencies, unit_admin at units', () => {
    const kinds = ['federation', 'office', 'agency', 'unit'] as const;
    const fits = (role: Principal['role']) => kinds.filter((k) => roleFitsOrgKind(role, k));
    expect(fits('federation_admin')).toEqual(['federation']);
    expect(fits('office_staff')).toEqual(['office', 'agency']);
    expect(fits('unit_admin')).toEqual(['unit']);
  });
  it('says "an office", "an agency", "a unit"', () => {
    expect([withArticle('office'), withArticle('agency'), withArticle('unit'), withArticle('federation')]).toEqual([
      'an office',
      'an agency',
      'a unit',
      'a federation',
    ]);
  });
});
