import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../domain/scope';
import { isConditionalCheckFailed } from './errors';
import { queryPage, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';

export type IdentityPurpose = 'claim_review' | 'member_service' | 'correction';

/** One look at a member's full identity (SPEC §4.3): who, in which role and org, whose, why, when. */
export interface IdentityAccessRecord {
  accessId: string;
  at: string;
  actor: string;
  role: Role;
  /** The actor's org. */
  orgId: string;
  enrolmentId: string;
  /** The member's unit at the time. */
  unitId: string;
  purpose: IdentityPurpose;
}

const decode = inOrder<IdentityAccessRecord>(['accessId', 'at', 'actor', 'role', 'orgId', 'enrolmentId', 'unitId', 'purpose']);
const ACCESS_LIST = 'IDACCESS';

export const identityAccessRepo = (ctx: StoreContext) => ({
  /**
   * Writes the record before anything is revealed: if this fails, the caller
   * answers with an error and the identity stays sealed. Listed by time
   * (gsi1); `actorPath` lets a listing for an org keep its subtree only.
   * The access id is new, so a taken key is this very record: a put whose
   * answer was lost, resent by the SDK, landed the first time.
   */
  async record(r: IdentityAccessRecord, actorOrgPath: readonly string[]): Promise<void> {
    try {
      await ctx.db.send(
        new PutCommand({
          TableName: ctx.tableName,
          Item: itemOf(keys.identityAccess(r.accessId), {
            entity: 'identityAccess',
            gsi1pk: ACCESS_LIST,
            gsi1sk: `${r.at}#${r.accessId}`,
            actorPath: keys.pathPrefix(actorOrgPath),
            ...r,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (!isConditionalCheckFailed(e)) throw e;
    }
  },

  /**
   * Accesses by actors in the subtree of the org at `orgPath`, with `at` in
   * [from, to] (ISO timestamps), oldest first. Reveals are rare (a few per
   * claim reviewed), so filtering the time range by subtree stays cheap.
   */
  list: (orgPath: readonly string[], from: string, to: string, limit: number, cursor?: string) =>
    queryPage(
      ctx,
      {
        index: 'gsi1',
        partition: ACCESS_LIST,
        sortBetween: [from, `${to}\uffff`],
        ...(orgPath.length > 1 ? { whereBeginsWith: { attribute: 'actorPath', prefix: keys.pathPrefix(orgPath) } } : {}),
        limit,
        cursor,
      },
      decode,
    ),
});

export type IdentityAccessRepo = ReturnType<typeof identityAccessRepo>;
