import { ConfigError, loadConfig } from '../../src/config.ts';

/** The problems `loadConfig` names for `env`; fails when it names none. */
export function issuesOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
