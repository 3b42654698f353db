import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cli } from '../messages/cli.js';

/** The keys the seed's output depends on: document numbers are encrypted under one of them. */
const SEED_KEYS = ['CODE_HMAC_KEY', 'DOCUMENT_ENCRYPTION_KEY', 'JOB_PAYLOAD_KEY'] as const;
const WRITE_KEYS_OPTION = '--write-keys';

export type SeedKeys =
  | { ok: true; env: Record<string, string | undefined>; notice: string | null }
  | { ok: false; problem: string };

/**
 * The seed runs only with the keys the app will run with. Missing ones are refused, unless
 * `--write-keys <file>` asks for them to be generated into a new file (mode 600, never
 * overwritten) that the person then loads for `npm start` too.
 */
export function seedKeys(env: Record<string, string | undefined>, args: readonly string[]): SeedKeys {
  const missing = SEED_KEYS.filter((name) => !env[name]);
  if (missing.length === 0) return { ok: true, env, notice: null };
  const at = args.indexOf(WRITE_KEYS_OPTION);
  if (at < 0) return { ok: false, problem: cli.seed.keysMissing(missing, WRITE_KEYS_OPTION) };
  const file = args[at + 1];
  if (!file || file.startsWith('-'))
    return { ok: false, problem: cli.seed.optionNeedsFile(WRITE_KEYS_OPTION) };
  const generated = Object.fromEntries(missing.map((name) => [name, randomBytes(32).toString('base64')]));
  try {
    writeFileSync(
      file,
      Object.entries(generated)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
      { flag: 'wx', mode: 0o600 },
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { ok: false, problem: cli.seed.keysFileExists(file) };
    throw error;
  }
  return { ok: true, env: { ...env, ...generated }, notice: cli.seed.keysWritten(missing, file) };
}
