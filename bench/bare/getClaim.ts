import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { answer, type BareEvent, db, table } from './client';

/** GET /claims/{id}, bare: the one GetItem the production handler makes (a claim without documents). */
export const handler = async (event: BareEvent) => {
  const id = event.pathParameters?.id ?? '';
  const r = await db.send(new GetCommand({ TableName: table, Key: { pk: `CLAIM#${id}`, sk: 'CLAIM' } }));
  return r.Item ? answer(200, r.Item) : answer(404, { id });
};
