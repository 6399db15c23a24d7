import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { answer, type BareEvent, db, table } from './client';

/**
 * POST /claims/{id}/decision (approve), bare: the production handler's
 * DynamoDB work — the claim and the enrolment (consistent), then one
 * transaction of the same four items (claim, enrolment under the cap
 * condition, a counter shard, the approval fact). The benefit comes in the event.
 */
export const handler = async (event: BareEvent) => {
  const id = event.pathParameters?.id ?? '';
  const { benefitFen } = JSON.parse(event.body ?? '{}') as { benefitFen: number };
  const c = (await db.send(new GetCommand({ TableName: table, Key: { pk: `CLAIM#${id}`, sk: 'CLAIM' }, ConsistentRead: true }))).Item!;
  const e = (await db.send(new GetCommand({ TableName: table, Key: { pk: `ENR#${c.enrolmentId}`, sk: 'ENR' }, ConsistentRead: true })))
    .Item!;
  const at = new Date().toISOString();
  await db.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: { pk: `CLAIM#${id}`, sk: 'CLAIM' },
            UpdateExpression:
              'SET #s = :to, version = version + :one, approvedBenefitFen = :b, approvedAt = :at, history = list_append(history, :ev)',
            ConditionExpression: '#s = :from AND version = :v',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':to': 'approved',
              ':from': 'submitted',
              ':v': c.version,
              ':one': 1,
              ':b': benefitFen,
              ':at': at,
              ':ev': [{ at, to: 'approved' }],
            },
          },
        },
        {
          Update: {
            TableName: table,
            Key: { pk: `ENR#${e.enrolmentId}`, sk: 'ENR' },
            UpdateExpression: 'SET usedFen = :u2',
            ConditionExpression: 'usedFen = :u',
            ExpressionAttributeValues: { ':u': e.usedFen, ':u2': (e.usedFen as number) + benefitFen },
          },
        },
        {
          Update: {
            TableName: table,
            Key: { pk: `ORG#${c.unitId}`, sk: `COUNT#PLAN#${c.planId}#${Math.floor(Math.random() * 8)}` },
            UpdateExpression: 'ADD claimsApproved :one, benefitsApprovedFen :b',
            ExpressionAttributeValues: { ':one': 1, ':b': benefitFen },
          },
        },
        {
          Put: {
            TableName: table,
            Item: { pk: `PLANFACTS#${c.planId}`, sk: `${e.enrolmentId}#bare-${id}`, claimId: id, benefitFen },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
  return answer(200, { claimId: id, status: 'approved', approvedBenefitFen: benefitFen });
};
