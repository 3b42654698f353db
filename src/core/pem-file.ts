import { readFileSync } from 'node:fs';
import { startup } from '../messages/startup.js';
import { StartupError } from './errors.js';

/** A PEM file named by `variable`, read at start-up; one that cannot be read stops it, naming the variable. */
export function readPemFile(path: string, variable: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const why = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new StartupError(startup.unreadablePem(variable, path, why));
  }
}
