import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Where alarms go: one topic the operators subscribe to (output AlertsTopicArn). */
export const makeAlerts = (scope: Construct) =>
  new Topic(scope, 'Alerts', {
    displayName: 'Huzhu operational alerts',
    enforceSSL: true,
    masterKey: Alias.fromAliasName(scope, 'SnsManagedKey', 'alias/aws/sns'),
  });
