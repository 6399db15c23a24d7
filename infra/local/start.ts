/**
 * `npm start`: the whole API on http://localhost:$PORT (default 3000), backed
 * by DynamoDB Local and s3rver, data kept under .local/. Ctrl-C stops it all.
 */
import { ensureConsoleBuilt } from '../../console/build';
import { startLocalStack } from './stack';

const main = async () => {
  // Lambda runs Node 22 (infra/routeFunction.ts); locally the SDK's Node 20 notice is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const port = Number(process.env.PORT ?? 3000);
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    // The console (SPEC §9): built once on a fresh clone, again only when its sources changed.
    await ensureConsoleBuilt('localstack');
    stack = await startLocalStack({
      port,
      ...(process.env.DYNAMODB_PORT ? { dynamoPort: Number(process.env.DYNAMODB_PORT) } : {}),
      ...(process.env.S3_PORT ? { s3Port: Number(process.env.S3_PORT) } : {}),
    });
  } catch (e) {
    console.error(`huzhu: could not start: ${(e as Error).message}`);
    process.exit(1);
  }
  const s = stack;
  console.log(
    [
      `Huzhu local stack is up.`,
      `  Console:    ${s.url}/console/ (工作台; local sign-in: pick a role and an org)`,
      `  API:        ${s.url}`,
      `  Health:     ${s.url}/health`,
      `  OpenAPI:    ${s.url}/openapi.json`,
      `  Reference:  ${s.url}/docs (API reference page; / leads to the console)`,
      `  DynamoDB:   ${s.dynamoEndpoint} (DynamoDB Local, data in ${s.dataDir}/dynamodb)`,
      `  S3:         ${s.s3Endpoint} (s3rver, data in ${s.dataDir}/s3)`,
      `Get a token:  npm run token -- --role federation_admin --org root`,
      `Call it:      curl -H "Authorization: Bearer $(npm run -s token -- --role federation_admin --org root)" ${s.url}/orgs/root`,
      `Ctrl-C stops everything.`,
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await s.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

void main();
