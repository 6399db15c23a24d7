import { inject } from 'vitest';

// Handlers read configuration from process.env, as in Lambda.
Object.assign(process.env, inject('env'));
