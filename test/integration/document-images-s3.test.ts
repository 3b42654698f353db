import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/app/services.js';
import { buildStores, type Stores } from '../../src/app/stores.js';
import { ManualClock } from '../../src/core/clock.js';
import { pngFile } from '../support/document-files.js';
import { testConfig } from '../support/config.js';
import { S3Server } from '../support/s3-server.js';

let s3: S3Server;
let stores: Stores;
beforeAll(async () => {
  s3 = await S3Server.start();
});
afterAll(async () => {
  await stores?.close();
  await s3.close();
});

describe('document images on an S3-compatible server, configured by DOCUMENT_STORE_URL', () => {
  it('seals the image into the bucket, reads it back for a reviewer and deletes it on schedule', async () => {
    const { bucket } = await s3.newBucket();
    const config = testConfig({ DOCUMENT_STORE_URL: s3.url(bucket), DOCUMENT_RETENTION_DAYS: '1' });
    const clock = new ManualClock(Date.now());
    stores = await buildStores(config, clock);
    const services = buildServices(config, stores, clock);
    const account = await stores.directory.create({ loginEmail: 's3@example.com', accountName: 'S3 Person' });
    const file = pngFile();

    const image = await services.documentImages.store(
      account.accountId,
      'F0UPLOAD',
      file,
      'image/png',
      'test',
    );
    const objects = await stores.documentStore.list('images/');
    expect(objects.map((object) => object.key)).toEqual([
      `images/${account.accountId}/${image.ref.split('.')[1]}`,
    ]);
    const raw = await stores.documentStore.get(objects[0]?.key ?? '');
    expect(raw?.includes(file.subarray(0, 16))).toBe(false);
    expect(raw?.includes(file.subarray(100, 132))).toBe(false);
    expect((await services.documentImages.read(image.ref))?.file.equals(file)).toBe(true);

    clock.advance(25 * 60 * 60 * 1000);
    expect(await services.documentImages.sweep()).toBe(1);
    expect(await stores.documentStore.list('images/')).toEqual([]);
  });
});
