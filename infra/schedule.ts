import { type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * The nightly quota report (SPEC §5): EventBridge Scheduler at 02:00
 * Asia/Shanghai invokes the report function with the scheduled time, from
 * which the function derives "yesterday" (so a repeated or late delivery
 * reports the same date). Retries, then a dead-letter queue, whose first
 * message raises an alarm to the operators' topic.
 */
export const NIGHTLY_REPORT_CRON = { minute: '0', hour: '2' } as const;

export const scheduleNightlyReport = (scope: Construct, fn: IFunction, alerts: ITopic) => {
  const deadLetters = new Queue(scope, 'NightlyReportDeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetters).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the nightly report schedule; a DLQ of a DLQ would only move the problem.',
  });
  // Its own role, so its one finding can be acknowledged on it: invoking the function grants `<arn>:*` (its versions) too.
  const role = new Role(scope, 'NightlyReportSchedulerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
    description: 'EventBridge Scheduler: invoke the nightly report function, dead-letter to its queue',
  });
  const schedule = new Schedule(scope, 'NightlyReportSchedule', {
    description: 'Huzhu nightly quota report for the previous day (02:00 Asia/Shanghai)',
    schedule: ScheduleExpression.cron({ ...NIGHTLY_REPORT_CRON, timeZone: TimeZone.ASIA_SHANGHAI }),
    target: new LambdaInvoke(fn, {
      input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: deadLetters,
      role,
    }),
  });
  const stack = Stack.of(scope);
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>:*]`,
    reason: 'lambda:InvokeFunction on the nightly report function and its versions (CDK grants both forms); no other function.',
  });
  // The scheduler's dead-letter queue only receives events it could not deliver. Lambda runs a delivered
  // event asynchronously and retries it itself; a run that still fails lands in the same queue from there.
  fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(deadLetters) });
  const alarm = new Alarm(scope, 'NightlyReportFailedAlarm', {
    alarmDescription:
      'The nightly quota report could not be delivered or failed after its retries (a message is in its dead-letter queue).',
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(alerts));
  const errors = new Alarm(scope, 'NightlyReportErrorsAlarm', {
    alarmDescription: 'The nightly report function raised errors (it will be retried; see its logs).',
    metric: fn.metricErrors({ period: Duration.hours(1) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  errors.addAlarmAction(new SnsAction(alerts));
  return { schedule, deadLetters, alarm };
};
