import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../config';

/**
 * One document client per process. Locally it points at DynamoDB Local,
 * whose access key ids must be letters and digits only.
 */
export const makeDynamoClient = (config: AppConfig): DynamoDBClient =>
  new DynamoDBClient({
    region: config.region,
    maxAttempts: 3,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });

export const makeDocClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
