import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config';
import { addWriteTokens } from './writeToken';

/**
 * One document client per process. Locally it points at DynamoDB Local,
 * whose access key ids must be letters and digits only. Every transaction it
 * sends carries a ClientRequestToken (./writeToken.ts), so a retry after a
 * lost answer is not applied twice.
 */
export const makeDynamoClient = (config: AppConfig): DynamoDBClient => {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: 3,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  addWriteTokens(client);
  return client;
};

export const makeDocClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
