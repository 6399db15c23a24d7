/**
 * The roster import job in a process of its own, so a test can kill it
 * midway (SIGKILL, as a Lambda dies on a crash or timeout):
 *   node --import tsx test/support/import-child.ts <importId> <clock ISO>
 * Configuration comes from the environment, as in Lambda.
 */
import type { S3Event } from 'aws-lambda';
import { makeHandler } from '../../functions/rosterImport/handler';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { objectKeys } from '../../shared/objects/keys';

const [importId = '', clock = ''] = process.argv.slice(2);
const deps = buildDeps({ clock: fixedClock(clock) });
const bucket = deps.config.bucketName;
const event = {
  Records: [
    {
      eventName: 'ObjectCreated:Post',
      s3: { bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: objectKeys.rosterImport(importId), size: 1 } },
    },
  ],
} as unknown as S3Event;
const out = await makeHandler(() => deps)(event);
process.stdout.write(`IMPORT_CHILD ${JSON.stringify(out)}\n`);
process.exit(0);
