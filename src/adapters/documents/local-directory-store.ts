import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  assertValidDocumentKey,
  assertValidDocumentPrefix,
  type DocumentStore,
  type StoredObject,
} from '../../ports/document-store.js';

/**
 * Document images as files under one directory: the embedded default for a single
 * instance. Files are written to a temporary name and renamed, so a crash mid-write never
 * leaves half an object under its real name; only the app's user can read them.
 */
export class LocalDirectoryDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}

  /** Creates the directory if needed and writes and removes a probe: a directory the app cannot use shows at start-up, not at the first upload. */
  async checkWritable(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const probe = join(this.root, `.write-check-${randomBytes(6).toString('hex')}`);
    await writeFile(probe, '', { mode: 0o600, flag: 'wx' });
    await rm(probe, { force: true });
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertValidDocumentPrefix(prefix);
    const found: StoredObject[] = [];
    await this.walk(join(this.root, prefix), found);
    return found;
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    assertValidDocumentKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async walk(directory: string, found: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) await this.walk(path, found);
      else if (entry.isFile() && !entry.name.endsWith('.partial')) {
        const info = await stat(path).catch(() => null);
        if (info) found.push({ key: relative(this.root, path).split(sep).join('/'), storedAt: info.mtimeMs });
      }
    }
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
