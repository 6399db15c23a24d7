import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type Bucket, EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';

/**
 * A roster upload starts its import (SPEC §4.3): S3 sends ObjectCreated for
 * `imports/<importId>/roster` to the import function (results files under
 * the same prefix end differently and do not trigger it). S3 invokes
 * asynchronously; Lambda retries twice, and the import resumes from its
 * checkpoint, so a repeated delivery is harmless.
 */
export const ROSTER_UPLOAD_FILTER = { prefix: 'imports/', suffix: '/roster' } as const;

export const wireRosterImports = (scope: Construct, bucket: Bucket, fn: IFunction) => {
  bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn), ROSTER_UPLOAD_FILTER);
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
  // CDK's singleton that writes the bucket's notification configuration (a custom resource Lambda CDK owns).
  const handler = Stack.of(scope).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
  const role = handler?.node.tryFindChild('Role');
  for (const target of [handler, role]) {
    if (!target) continue;
    for (const id of [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
    ]) {
      Validations.of(target).acknowledge({
        id,
        reason:
          "CDK's own BucketNotificationsHandler (sets the data bucket's notification configuration at deploy time): its role, " +
          'managed basic-execution policy and runtime are chosen by CDK; it runs only during deployments.',
      });
    }
  }
};
