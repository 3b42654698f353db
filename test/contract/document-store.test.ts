import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDirectoryDocumentStore } from '../../src/adapters/documents/local-directory-store.js';
import { S3DocumentStore } from '../../src/adapters/documents/s3-store.js';
import { S3Server } from '../support/s3-server.js';
import { describeDocumentStoreContract } from './document-store.contract.js';
import { scratchDirectory } from '../support/scratch.js';

describeDocumentStoreContract(
  'local directory',
  async () => new LocalDirectoryDocumentStore(scratchDirectory('docs-')),
);

let s3: S3Server;
beforeAll(async () => {
  s3 = await S3Server.start();
});
afterAll(async () => {
  await s3.close();
});

// s3rver: an S3-compatible server speaking the S3 REST API on loopback, driven here by the
// same AWS SDK v3 client production uses.
describeDocumentStoreContract(
  'S3-compatible server (s3rver)',
  async () => new S3DocumentStore({ ...(await s3.newBucket()), prefix: 'aa/' }),
);

describe('local directory storage', () => {
  it('keeps files readable by the app user only and leaves no partial files behind', async () => {
    const root = scratchDirectory('docs-');
    const store = new LocalDirectoryDocumentStore(root);
    await store.put('images/1000001/aa', Buffer.from('sealed'));
    const file = join(root, 'images', '1000001', 'aa');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(root, 'images', '1000001'))).toEqual(['aa']);
  });
});
