import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from './clock';
import { type AppConfig, loadConfig } from './config';
import { type SecretReader, type SecretsManagerFactory, secretsFor } from './secrets';
import { makeDocClient, makeDynamoClient } from './store/client';
import { claimRepo } from './store/claims';
import { cursorCodec } from './store/cursor';
import { disclosureRepo } from './store/disclosures';
import { enrolmentRepo } from './store/enrolments';
import { evaluationRepo } from './store/evaluations';
import { identityAccessRepo } from './store/identityAccess';
import type { StoreContext } from './store/items';
import { orgRepo } from './store/orgs';
import { paymentRepo } from './store/payments';
import { planRepo } from './store/plans';
import { rosterImportRepo } from './store/rosterImports';
import { reportRepo } from './store/reports';
import { targetRepo } from './store/targets';

/**
 * Everything a handler needs from outside, built once per cold start.
 * Tests pass their own (a fixed clock, say) through `handler.withDeps`.
 */
export interface Deps {
  config: AppConfig;
  clock: Clock;
  ddb: DynamoDBClient;
  db: DynamoDBDocumentClient;
  store: StoreContext;
  secrets: SecretReader;
  orgs: ReturnType<typeof orgRepo>;
  targets: ReturnType<typeof targetRepo>;
  plans: ReturnType<typeof planRepo>;
  enrolments: ReturnType<typeof enrolmentRepo>;
  rosterImports: ReturnType<typeof rosterImportRepo>;
  identityAccess: ReturnType<typeof identityAccessRepo>;
  claims: ReturnType<typeof claimRepo>;
  payments: ReturnType<typeof paymentRepo>;
  disclosures: ReturnType<typeof disclosureRepo>;
  reports: ReturnType<typeof reportRepo>;
  evaluations: ReturnType<typeof evaluationRepo>;
}

/**
 * What only some functions bundle, passed in by them: Secrets Manager for the
 * functions whose route grants a secret (cursors, the ID-number HMAC).
 */
export interface Services {
  secretsManager?: SecretsManagerFactory;
}

export const buildDeps = (overrides: Partial<Deps> = {}, services: Services = {}): Deps => {
  const config = overrides.config ?? loadConfig();
  const ddb = overrides.ddb ?? makeDynamoClient(config);
  const db = overrides.db ?? makeDocClient(ddb);
  const secrets = overrides.secrets ?? secretsFor(config, services.secretsManager);
  const store = overrides.store ?? { db, tableName: config.tableName, cursors: cursorCodec(() => secrets('cursorHmac')) };
  return {
    config,
    clock: overrides.clock ?? systemClock,
    ddb,
    db,
    store,
    secrets,
    orgs: overrides.orgs ?? orgRepo(store),
    targets: overrides.targets ?? targetRepo(store),
    plans: overrides.plans ?? planRepo(store),
    enrolments: overrides.enrolments ?? enrolmentRepo(store),
    rosterImports: overrides.rosterImports ?? rosterImportRepo(store),
    identityAccess: overrides.identityAccess ?? identityAccessRepo(store),
    claims: overrides.claims ?? claimRepo(store),
    payments: overrides.payments ?? paymentRepo(store),
    disclosures: overrides.disclosures ?? disclosureRepo(store),
    reports: overrides.reports ?? reportRepo(store),
    evaluations: overrides.evaluations ?? evaluationRepo(store),
  };
};

const cached = new Map<SecretsManagerFactory | undefined, Deps>();
/** Lazily built (once per process and services) so importing a handler never touches the environment. */
export const defaultDeps = (services: Services = {}): Deps => {
  let d = cached.get(services.secretsManager);
  if (!d) {
    d = buildDeps({}, services);
    cached.set(services.secretsManager, d);
  }
  return d;
};
