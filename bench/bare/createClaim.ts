import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { answer, type BareEvent, db, table } from './client';

/**
 * POST /claims, bare: the production handler's DynamoDB work — the enrolment
 * (consistent), its unit (scope), the person's stays (consistent),
 * then one transaction putting the claim and the facts — with the claim item
 * taken ready-made from the event.
 */
export const handler = async (event: BareEvent) => {
  const { claim, unitId } = JSON.parse(event.body ?? '{}') as {
    claim: Record<string, unknown> & { claimId: string; enrolmentId: string };
    unitId: string;
  };
  const enr = await db.send(new GetCommand({ TableName: table, Key: { pk: `ENR#${claim.enrolmentId}`, sk: 'ENR' }, ConsistentRead: true }));
  await db.send(new GetCommand({ TableName: table, Key: { pk: `ORG#${unitId}`, sk: 'ORG' } }));
  const factsKey = { pk: `PERSON#${enr.Item?.personKey as string}`, sk: 'STAYS' };
  const facts = await db.send(new GetCommand({ TableName: table, Key: factsKey, ConsistentRead: true }));
  const version = (facts.Item?.version as number | undefined) ?? 0;
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: { pk: `CLAIM#${claim.claimId}`, sk: 'CLAIM', ...claim },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: table,
            Item: { ...factsKey, facts: { [claim.claimId]: { claimId: claim.claimId } }, version: version + 1 },
            ...(facts.Item
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
      ],
    }),
  );
  return answer(201, { ...claim, usedFen: enr.Item?.usedFen });
};
