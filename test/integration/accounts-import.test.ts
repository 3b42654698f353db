import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication, type Application } from '../../src/app/application.js';
import { runAccountsCommand } from '../../src/cli/accounts-command.js';
import { ManualClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/core/logger.js';
import { messages } from '../../src/messages/catalog.js';
import { ACCOUNT_COLUMNS, ADDRESS_COLUMNS } from '../../src/services/accounts-file/import.js';
import { regionName } from '../../src/services/validation.js';
import { eventually } from '../notifications/eventually.js';
import { testConfig } from '../support/config.js';
import { SmtpCapture } from '../support/smtp-capture.js';
import { scratchDirectory } from '../support/scratch.js';

const m = messages.accountsFile;
const folder = scratchDirectory('import-');
let fileCount = 0;

function file(name: string, content: string): string {
  const path = join(folder, `${fileCount++}-${name}`);
  writeFileSync(path, content);
  return path;
}

const GOOD_CSV = [
  'loginEmail,accountName,industry,contactNumber,securityMobile,verificationEmail',
  'ana.import@example.com,Ana Import,software,+1 415 555 2671,+86 138 0013 8000,ana.verify@example.com',
  '"bo.import@Example.COM","Bo, Import",,,,',
].join('\n');

/**
 * The import command against the whole application on each embedded store: the forms'
 * validation, nothing half-imported, reset links through the real SMTP path.
 */
describe.each([
  ['Redis', true],
  ['in-process store', false],
])('accounts import on %s', (_name, redis) => {
  let smtp: SmtpCapture;
  let app: Application;
  const out: string[] = [];
  const err: string[] = [];

  const run = (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    return runAccountsCommand(args, {
      directory: app.stores.directory,
      listing: app.stores.accountListing,
      sendResetLink: (loginEmail, actor) => app.sendResetLink(loginEmail, actor),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
  };

  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    app = await createApplication(
      testConfig({ SMTP_URL: smtp.url }, { redis }),
      new ManualClock(),
      createLogger('silent'),
      { slack: false },
    );
  });

  afterAll(async () => {
    await app.stop();
    await smtp.close();
  });

  it('a file with bad rows imports nothing and names each bad row and field', async () => {
    const path = file(
      'bad.csv',
      [
        'loginEmail,accountName,securityMobile',
        'carl.bad@example.com,Carl Bad,+1 415 555 2671x12',
        'not-an-email,Dee Bad,',
        'ok.bad@example.com,,+86 138 0013 8000',
        'fine.bad@example.com,Fine,',
      ].join('\n'),
    );
    expect(await run('import', path)).toBe(1);
    expect(err).toEqual([
      m.rowError(2, 'securityMobile', messages.validation.phone.extension),
      m.rowError(3, 'loginEmail', messages.validation.email.invalid),
      m.rowError(4, 'accountName', messages.validation.accountName.empty),
      m.rejected(3),
    ]);
    expect(await app.stores.directory.getByLoginEmail('fine.bad@example.com')).toBeNull();
  });

  it('refuses a password column and unknown columns before reading any row', async () => {
    const path = file(
      'password.json',
      JSON.stringify([{ loginEmail: 'pw@example.com', accountName: 'Pw', password: 'Secret.11', team: 'x' }]),
    );
    expect(await run('import', path)).toBe(1);
    expect(err).toContain(m.passwordColumn('password'));
    expect(err).toContain(
      m.unknownColumn('team', [
        'loginEmail',
        'accountName',
        'industry',
        'contactNumber',
        'contactEmail',
        'securityMobile',
        'verificationEmail',
        ...ADDRESS_COLUMNS,
      ]),
    );
    expect(err.join('\n')).not.toContain('Secret.11');
    expect(await app.stores.directory.getByLoginEmail('pw@example.com')).toBeNull();
  });

  it('--dry-run checks and plans but writes nothing', async () => {
    expect(await run('import', file('dry.csv', GOOD_CSV), '--dry-run')).toBe(0);
    expect(out).toEqual([m.planned(2, 0)]);
    expect(await app.stores.directory.getByLoginEmail('ana.import@example.com')).toBeNull();
    expect(smtp.mailsTo('ana.import@example.com')).toHaveLength(0);
  });

  it('a good file imports with the forms’ normalisation, and a new account gets a reset link by email', async () => {
    expect(await run('import', file('good.csv', GOOD_CSV))).toBe(0);
    expect(out).toEqual([m.done(2, 0)]);
    const ana = await app.stores.directory.getByLoginEmail('ana.import@example.com');
    expect(ana).toMatchObject({
      accountName: 'Ana Import',
      industry: 'software',
      contactNumber: '+14155552671',
      securityMobile: '+8613800138000',
      verificationEmail: 'ana.verify@example.com',
      passwordHash: null,
    });
    const bo = await app.stores.directory.getByLoginEmail('bo.import@example.com');
    expect(bo).toMatchObject({
      accountName: 'Bo, Import',
      loginEmail: 'bo.import@example.com',
      industry: null,
    });
    await eventually(() => smtp.mailsTo('ana.import@example.com').length === 1);
    expect(smtp.mailsTo('ana.import@example.com')[0]?.text).toMatch(/\/reset\/[A-Za-z0-9_-]+/);
    await eventually(() => smtp.mailsTo('bo.import@example.com').length === 1);
  });

  it('importing again updates the same accounts, sends no new reset mail, and a blank cell clears a field', async () => {
    const before = await app.stores.directory.getByLoginEmail('ana.import@example.com');
    const path = file(
      'again.json',
      JSON.stringify([
        {
          loginEmail: 'ANA.import@example.com',
          accountName: 'Ana Renamed',
          industry: 'finance',
          contactNumber: '',
        },
      ]),
    );
    expect(await run('import', path)).toBe(0);
    expect(out).toEqual([m.done(0, 1)]);
    const after = await app.stores.directory.getByLoginEmail('ana.import@example.com');
    expect(after).toMatchObject({
      accountId: before?.accountId,
      accountName: 'Ana Renamed',
      industry: 'finance',
      contactNumber: null,
      securityMobile: '+8613800138000',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.mailsTo('ana.import@example.com')).toHaveLength(1);
  });

  it('the same login email twice in one file is a rejected row', async () => {
    const path = file('twice.csv', 'loginEmail,accountName\nsame@example.com,One\nSAME@example.com,Two\n');
    expect(await run('import', path)).toBe(1);
    expect(err[0]).toBe(m.rowError(3, 'loginEmail', m.duplicateEmail(2)));
    expect(await app.stores.directory.getByLoginEmail('same@example.com')).toBeNull();
  });

  it('unusable input gets a clear message and a usage line', async () => {
    expect(await run('import', file('broken.json', '{"loginEmail":'))).toBe(1);
    expect(err).toEqual([m.notJson]);
    expect(await run('import', join(folder, 'missing.csv'))).toBe(1);
    expect(err).toEqual([m.unreadable('ENOENT')]);
    expect(await run('import', file('empty.csv', 'loginEmail,accountName\n'))).toBe(1);
    expect(err).toEqual([m.empty]);
    expect(await run('export', '--xml')).toBe(2);
    expect(err).toEqual([m.usage]);
    expect(await run('export-everything')).toBe(2);
    expect(err).toEqual([m.usage]);
  });

  it('contact-address columns follow the form: all seven or none, postal code per region, blank clears', async () => {
    const header = 'loginEmail,accountName,fullName,companyName,region,state,city,address,postalCode';
    const bad = file(
      'address-bad.csv',
      [
        header,
        'dora.address@example.com,Dora,Dora Address,Acme Robotics,GB,England,London,10 Downing Street,12345',
        'eve.address@example.com,Eve,Eve Address,,US,CA,San Francisco,1 Market St,',
      ].join('\n'),
    );
    expect(await run('import', bad)).toBe(1);
    expect(err).toEqual([
      m.rowError(2, 'postalCode', messages.validation.postalCode.forRegion(regionName('GB'), 'SW1A 1AA')),
      m.rowError(3, 'companyName', messages.validation.address.companyName),
      m.rowError(3, 'postalCode', messages.validation.address.postalCode),
      m.rejected(2),
    ]);
    expect(await app.stores.directory.getByLoginEmail('dora.address@example.com')).toBeNull();

    const good = file(
      'address-good.csv',
      `${header}\ndora.address@example.com,Dora,Dora Address,Acme Robotics,GB,England,London,10 Downing Street,sw1a2aa\n`,
    );
    expect(await run('import', good)).toBe(0);
    expect((await app.stores.directory.getByLoginEmail('dora.address@example.com'))?.contactAddress).toEqual({
      fullName: 'Dora Address',
      companyName: 'Acme Robotics',
      region: 'GB',
      state: 'England',
      city: 'London',
      address: '10 Downing Street',
      postalCode: 'SW1A 2AA',
    });

    // A file without the address columns leaves the address alone; blank cells clear it.
    expect(
      await run('import', file('no-address.csv', 'loginEmail,accountName\ndora.address@example.com,Dora\n')),
    ).toBe(0);
    expect(
      (await app.stores.directory.getByLoginEmail('dora.address@example.com'))?.contactAddress,
    ).not.toBeNull();
    const blank = Object.fromEntries(ADDRESS_COLUMNS.map((column) => [column, '']));
    const clear = file(
      'clear.json',
      JSON.stringify([{ loginEmail: 'dora.address@example.com', accountName: 'Dora', ...blank }]),
    );
    expect(await run('import', clear)).toBe(0);
    expect(
      (await app.stores.directory.getByLoginEmail('dora.address@example.com'))?.contactAddress,
    ).toBeNull();
    expect(await run('import', good)).toBe(0);
  });

  it('export writes the import columns without secrets, and its file imports back unchanged', async () => {
    const hash = await app.services.credentials.hash('Export.pass1');
    await app.stores.directory.create({
      loginEmail: 'has.password@example.com',
      accountName: 'Has Password',
      passwordHash: hash,
    });
    const accounts = await app.stores.accountListing?.listAccounts();
    const exportable = (accounts ?? []).filter((account) => account.loginEmail !== null);
    expect(exportable.map((account) => account.loginEmail)).toContain('ana.import@example.com');

    expect(await run('export')).toBe(0);
    const csv = out.join('\n');
    expect(csv.split('\n')[0]).toBe(
      'loginEmail,accountName,industry,contactNumber,contactEmail,securityMobile,verificationEmail,fullName,companyName,region,state,city,address,postalCode',
    );
    expect(csv).toContain('Dora Address,Acme Robotics,GB,England,London,10 Downing Street,SW1A 2AA');
    expect(csv).toContain('"Bo, Import"');
    expect(csv).not.toContain('$2');
    expect(await run('export', '--json')).toBe(0);
    const json = JSON.parse(out.join('\n')) as Record<string, unknown>[];
    expect(json).toHaveLength(exportable.length);
    for (const row of json) expect(Object.keys(row)).toEqual([...ACCOUNT_COLUMNS]);
    expect(JSON.stringify(json)).not.toMatch(/\$2[aby]\$|passwordHash|documentNumber/);

    const before = await app.stores.accountListing?.listAccounts();
    expect(await run('import', file('exported.csv', `${csv}\n`))).toBe(0);
    expect(out).toEqual([m.done(0, exportable.length)]);
    expect(await run('import', file('exported.json', JSON.stringify(json)))).toBe(0);
    expect(out).toEqual([m.done(0, exportable.length)]);
    expect(await app.stores.accountListing?.listAccounts()).toEqual(before);
  });
});
