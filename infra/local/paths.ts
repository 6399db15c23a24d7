import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cors';

/** Everything the local stack keeps between runs lives under .local/ (git-ignored). */
export const localDir = (base = process.env.HUZHU_LOCAL_DIR ?? join(repoRoot, '.local')) => {
  mkdirSync(base, { recursive: true });
  return {
    base,
    dynamo: join(base, 'dynamodb'),
    s3: join(base, 's3'),
    jwtKey: join(base, 'jwt-key.json'),
    secrets: join(base, 'secrets.json'),
  };
};
