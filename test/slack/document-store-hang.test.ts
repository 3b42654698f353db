import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { slack } from '../../src/messages/slack.js';
import { validation } from '../../src/messages/validation.js';
import { visibleText } from '../support/slack/blocks.js';
import { useSlackHarness } from '../support/slack/harness.js';
import { nextLinkedPerson } from '../support/slack/people.js';
import { passportForm, pngFile } from '../support/document-files.js';

/** An S3 endpoint that accepts connections and never answers, as a bucket behind a hung proxy. */
let hung: Server;
const sockets: Socket[] = [];
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => hung?.close(() => resolve()));
});
const harness = useSlackHarness(async () => {
  hung = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const address = hung.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = encodeURIComponent(`http://127.0.0.1:${port}`);
  return { env: { DOCUMENT_STORE_URL: `s3://KEY:SECRET@docs/aa/?region=us-east-1&endpoint=${endpoint}` } };
});

describe('while the document store (S3) hangs', () => {
  it('an identity form with an image closes in time, the DM says so, and nothing is filed', async () => {
    const h = harness();
    const person = await nextLinkedPerson(h, 'S3HANG');
    await person.say('verify my identity');
    await person.click(slack.identity.individual);
    await person.click(slack.identity.acknowledge);
    await person.click(slack.identity.openForm);
    const upload = h.fake.uploadFile(person.id, { name: 'id.png', mimetype: 'image/png', bytes: pngFile() });
    const flowMessage = visibleText(person.latestDm().blocks);
    await person.submit(passportForm('E99912345', upload.id));
    expect(h.workspace.signer.lastAckMs).toBeLessThan(3_000);
    expect(person.dmMessages().at(-1)?.text).toBe(validation.identity.imageStoreUnavailable);
    expect(visibleText(person.dmMessages().at(-2)?.blocks)).toBe(flowMessage);
    const account = await h.application.stores.directory.getBySlackUser(h.fake.teamId, person.id);
    expect(account?.verification.status).toBe('unverified');
    expect(h.fake.file(upload.id)?.deleted).toBe(false);
  }, 60_000);
});
