import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The console (SPEC §9). Two builds from the same sources:
 * - `localstack` (npm start serves it at /console/): has the development sign-in;
 * - `aws` (the CDK stack deploys it behind CloudFront): Cognito hosted UI only. The development
 *   sign-in is behind `import.meta.env.MODE === 'localstack'`, which Vite replaces with a constant, so
 *   the AWS build does not contain it at all (test/e2e/console.test.ts checks the files).
 * `base: './'` keeps every asset URL relative: the same files work under /console/ and at a site's root.
 */
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [preact()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL(`./dist/${mode === 'aws' ? 'aws' : 'localstack'}`, import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // No inline scripts or styles: the CSP is `script-src 'self'`.
    assetsInlineLimit: 0,
  },
}));
