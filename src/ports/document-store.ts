/**
 * Where identity document images rest (SPEC §3.10). Callers hand it ciphertext only: the
 * store never sees an image in clear (src/services/document-images/). Keys are
 * slash-separated paths such as `images/1000001/<hex>`; every method is idempotent, so a
 * retried write or delete changes nothing twice.
 *
 * Adapters: a local directory (the embedded default) and an S3-compatible object store for
 * deployments with several instances. One contract suite runs against both.
 */
export interface StoredObject {
  key: string;
  /** When the object was written (epoch ms), as the store reports it. */
  storedAt: number;
}

export interface DocumentStore {
  /** Writes the whole object or nothing: a reader never sees half a file. */
  put(key: string, body: Buffer): Promise<void>;
  /** Null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  /** Deleting what is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in no particular order. */
  list(prefix: string): Promise<StoredObject[]>;
  close(): Promise<void>;
}

/** Keys become file paths and object names: no traversal, nothing a shell or URL would read twice. */
export function assertValidDocumentKey(key: string): void {
  if (
    !/^[a-z0-9]+(\/[a-z0-9][a-z0-9._-]{0,127})*$/.test(key) ||
    key.split('/').some((part) => part.startsWith('.'))
  ) {
    throw new RangeError('document key must be slash-separated lowercase names without leading dots');
  }
}

export function assertValidDocumentPrefix(prefix: string): void {
  if (!/^([a-z0-9][a-z0-9._-]{0,127}\/)*$/.test(prefix)) {
    throw new RangeError('document key prefix must be slash-terminated lowercase names');
  }
}
