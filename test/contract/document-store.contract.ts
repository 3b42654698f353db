import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../src/ports/document-store.js';

/** Document store contract: what every adapter must do, run on each. */
export function describeDocumentStoreContract(label: string, factory: () => Promise<DocumentStore>): void {
  describe(`DocumentStore contract: ${label}`, () => {
    let store: DocumentStore;

    beforeEach(async () => {
      store = await factory();
    });

    it('gives back exactly the bytes written, and null for a key never written', async () => {
      const body = randomBytes(70_000);
      await store.put('images/1000001/aa', body);
      expect((await store.get('images/1000001/aa'))?.equals(body)).toBe(true);
      expect(await store.get('images/1000001/bb')).toBeNull();
    });

    it('replaces an object written again under the same key', async () => {
      await store.put('images/1000001/aa', Buffer.from('first'));
      await store.put('images/1000001/aa', Buffer.from('second'));
      expect((await store.get('images/1000001/aa'))?.toString()).toBe('second');
    });

    it('deletes, and deleting again or deleting what never existed is not an error', async () => {
      await store.put('images/1000001/aa', Buffer.from('x'));
      await store.delete('images/1000001/aa');
      await store.delete('images/1000001/aa');
      await store.delete('images/1000002/never');
      expect(await store.get('images/1000001/aa')).toBeNull();
    });

    it('lists the objects under a prefix with the time they were written', async () => {
      const before = Date.now() - 5_000;
      await store.put('images/1000001/aa', Buffer.from('1'));
      await store.put('images/1000001/aa.filed', Buffer.from('2'));
      await store.put('images/1000002/bb', Buffer.from('3'));
      await store.put('other/1000003/cc', Buffer.from('4'));
      const listed = await store.list('images/');
      expect(listed.map((object) => object.key).sort()).toEqual([
        'images/1000001/aa',
        'images/1000001/aa.filed',
        'images/1000002/bb',
      ]);
      for (const object of listed) {
        expect(object.storedAt).toBeGreaterThan(before);
        expect(object.storedAt).toBeLessThan(Date.now() + 5_000);
      }
      expect((await store.list('images/1000002/')).map((object) => object.key)).toEqual([
        'images/1000002/bb',
      ]);
      expect(await store.list('nothing/')).toEqual([]);
    });

    it('refuses keys that could leave the store or mean two things', async () => {
      for (const key of ['../etc/passwd', 'images/../x', '/abs', 'images/.hidden', 'Images/A', 'a//b', '']) {
        await expect(store.put(key, Buffer.from('x')), key).rejects.toThrow(RangeError);
        await expect(store.get(key), key).rejects.toThrow(RangeError);
      }
      await expect(store.list('../')).rejects.toThrow(RangeError);
    });
  });
}
