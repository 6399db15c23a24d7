/**
 * `npm run token -- --role <role> --org <orgId> [--sub <id>] [--ttl <seconds>]`
 * prints a bearer token the local gateway accepts (key kept under .local/).
 */
import { parseArgs } from 'node:util';
import { isRole } from '../../shared/domain/scope';
import { loadOrCreateKey, signToken } from './jwt';
import { localDir } from './paths';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    org: { type: 'string' },
    sub: { type: 'string' },
    ttl: { type: 'string', default: String(12 * 3600) },
  },
});

if (!isRole(values.role) || !values.org) {
  console.error('usage: npm run token -- --role federation_admin|office_staff|unit_admin --org <orgId> [--sub <userId>] [--ttl <seconds>]');
  process.exit(2);
}
const key = await loadOrCreateKey(localDir().jwtKey);
const token = await signToken(
  key,
  { sub: values.sub ?? `${values.role}@${values.org}`, role: values.role, org: values.org },
  Number(values.ttl),
);
console.log(token);
