import { readFileSync } from 'node:fs';
import { DEFAULT_ROOT_ORG_NAME, ENV, rootOrgNameProblem } from '../shared/config';

/**
 * The root org's Chinese name (SPEC §4.1) is one setting, `huzhu:rootOrgName` in cdk.json's context:
 * the CDK app reads it (and `-c huzhu:rootOrgName=…` overrides it) and hands it to the deploy-time
 * custom resource; the local stack reads the same cdk.json, with ROOT_ORG_NAME overriding it. Absent: 总工会.
 */
export const ROOT_ORG_NAME_CONTEXT = 'huzhu:rootOrgName';

/** The name, checked by the free-text rule; a bad name stops the synth or `npm start` with one line saying why. */
export const checkedRootOrgName = (raw: unknown): string => {
  const name = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : DEFAULT_ROOT_ORG_NAME;
  const problem = rootOrgNameProblem(name);
  if (problem) throw new Error(`${ROOT_ORG_NAME_CONTEXT} / ${ENV.rootOrgName}: ${problem}`);
  return name;
};

/** For the local stack: ROOT_ORG_NAME, else cdk.json's context, else 总工会. */
export const localRootOrgName = (): string => {
  const env = process.env[ENV.rootOrgName];
  if (env !== undefined && env.trim() !== '') return checkedRootOrgName(env);
  let fromCdk: unknown;
  try {
    const cdk = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
    fromCdk = cdk.context?.[ROOT_ORG_NAME_CONTEXT];
  } catch {
    fromCdk = undefined;
  }
  return checkedRootOrgName(fromCdk);
};
