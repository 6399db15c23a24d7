import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from './clock';
import { loadConfig, type AppConfig } from './config';
import { makeDocClient, makeDynamoClient } from './store/client';
import { orgRepo } from './store/orgs';
import { targetRepo } from './store/targets';
import { planRepo } from './store/plans';
import { enrolmentRepo } from './store/enrolments';
import { piiVaultFor } from './pii/fromConfig';
import type { PiiVault } from './pii/vault';

/**
 * Everything a handler needs from outside, built once per cold start.
 * Tests pass their own (a fixed clock, say) through `handler.withDeps`.
 */
export interface Deps {
  config: AppConfig;
  clock: Clock;
  ddb: DynamoDBClient;
  db: DynamoDBDocumentClient;
  orgs: ReturnType<typeof orgRepo>;
  targets: ReturnType<typeof targetRepo>;
  plans: ReturnType<typeof planRepo>;
  enrolments: ReturnType<typeof enrolmentRepo>;
  /** Keys are fetched on first use, so functions without personal data never touch them. */
  pii: PiiVault;
}

export const buildDeps = (overrides: Partial<Deps> = {}): Deps => {
  const config = overrides.config ?? loadConfig();
  const ddb = overrides.ddb ?? makeDynamoClient(config);
  const db = overrides.db ?? makeDocClient(ddb);
  return {
    config,
    clock: overrides.clock ?? systemClock,
    ddb,
    db,
    orgs: overrides.orgs ?? orgRepo(db, config.tableName),
    targets: overrides.targets ?? targetRepo(db, config.tableName),
    plans: overrides.plans ?? planRepo(db, config.tableName),
    enrolments: overrides.enrolments ?? enrolmentRepo(db, config.tableName),
    pii: overrides.pii ?? piiVaultFor(config),
  };
};

let cached: Deps | undefined;
/** Lazily built so importing a handler never touches the environment. */
export const defaultDeps = (): Deps => (cached ??= buildDeps());
