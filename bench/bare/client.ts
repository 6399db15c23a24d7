import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The bare-SDK baselines of the Lambda cost benchmark (bench/lambdaCost.ts):
 * the same DynamoDB calls as a production handler, with nothing else — no
 * middy, no zod, no logger, no rules. Bundled with the same esbuild options.
 */
const endpoint = process.env.DYNAMODB_ENDPOINT;
export const ddb = new DynamoDBClient({
  region: process.env.AWS_REGION ?? 'us-east-1',
  maxAttempts: 3,
  ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
});
export const db = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
export const table = process.env.TABLE_NAME ?? 'huzhu';

export interface BareEvent {
  body?: string;
  pathParameters?: Record<string, string>;
}
export const answer = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
