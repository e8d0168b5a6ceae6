import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite would resolve `graphql` to its ESM build while Pothos and Yoga load the CommonJS one
  // through Node; two copies of graphql reject each other's types. Pin the one Node loads.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // Suites start real servers (emulator, redis-server); forks keep their sockets and
    // signal handling apart, and two workers match the two cores of CI.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
