import { randomBytes } from 'node:crypto';
import {
  AlreadyExistsError,
  Attribute,
  Change,
  ConstraintViolationError,
  escapeFilter,
  InsufficientAccessError,
  InvalidSyntaxError,
  ObjectClassViolationError,
  UndefinedTypeError,
  type Client,
  type Entry,
} from 'ldapts';
import type { Clock } from '../../core/clock.js';
import { CorruptRecordError } from '../../core/errors.js';
import {
  loginEmailKey,
  type Account,
  type CreateAccountInput,
  type ProfilePatch,
  type SubmissionInput,
  type VerificationSubmission,
} from '../../domain/account.js';
import {
  newAccount,
  withLoginEmail,
  withProfilePatch,
  type DecisionInput,
} from '../../domain/account-rules.js';
import {
  LoginEmailTakenError,
  UnknownAccountError,
  type AccountDirectory,
  type DecideResult,
  type LinkResult,
  type LoginEmailChange,
  type SubmitResult,
} from '../../ports/account-directory.js';
import { DirectoryManagesPasswordsError, DirectoryRefusedError } from '../../ports/directory-errors.js';
import {
  MAPPABLE_FIELDS,
  type AttributeMap,
  type LdapMode,
  type MappableField,
} from '../../config/ldap-attributes.js';
import type { LdapConnections } from './connections.js';
import { KeyedLock } from './keyed-lock.js';
import { directoryValues, overlay, readEntry, requestedAttributes, type DirectoryEntry } from './entries.js';
import { toAdTimestamp, toGeneralizedTime } from './times.js';

export interface LdapDirectorySettings {
  mode: LdapMode;
  baseDn: string;
  userFilter: string;
  attributes: AttributeMap;
}

/** The product record's login-email slot holds the entry's stable id in this reserved form. */
const RECORD_KEY_DOMAIN = 'entry.invalid';

/**
 * Accounts whose identity attributes and password live in an LDAP directory. What only the
 * product knows (Slack links, submissions, the self-service lock, the credential version,
 * unmapped fields) stays in a product record in the embedded store, keyed by the entry's
 * stable id (entryUUID / objectGUID), never by its DN: a rename or move keeps the account.
 *
 * The key lives in the product record's login-email slot (`<id>@entry.invalid`, a domain
 * that can never receive mail), so the embedded store's atomic unique index maps id → record
 * and two instances meeting a new entry at once still create one record.
 *
 * Writes go to the directory first (one modify: all or nothing), then to the product record;
 * when the second fails the directory is put back, so the two never disagree after an error.
 */
export class LdapAccountDirectory implements AccountDirectory {
  private readonly attributes: string[];
  /**
   * Directories check uniqueness before they write (slapo-unique, AD's UPN check), so two
   * writes of one address can both pass. Writes of one address take turns in this process,
   * and every write looks again afterwards and takes itself back when the address has two
   * holders: across instances a race ends with no winner rather than two.
   */
  private readonly emailLock = new KeyedLock();

  constructor(
    private readonly ldap: LdapConnections,
    private readonly records: AccountDirectory,
    private readonly settings: LdapDirectorySettings,
    private readonly clock: Clock,
  ) {
    this.attributes = requestedAttributes(settings.mode, settings.attributes);
  }

  async create(input: CreateAccountInput): Promise<Account> {
    if (this.settings.mode === 'ad') {
      throw new RangeError('Active Directory accounts are created in Active Directory, not here');
    }
    // Validates every field before anything is written.
    const preview = newAccount('1', input, this.clock.now());
    if (preview.loginEmail === null) return this.add(preview);
    return this.emailLock.run(loginEmailKey(preview.loginEmail), async () => {
      const email = preview.loginEmail ?? '';
      if ((await this.holdersOf(email)).length > 0) throw new LoginEmailTakenError();
      const account = await this.add(preview);
      if ((await this.holdersOf(email)).length > 1) {
        const entry = await this.entryOf(account.accountId);
        if (entry !== null) await this.ldap.service('delete', (client) => client.del(entry.dn));
        throw new LoginEmailTakenError();
      }
      return account;
    });
  }

  private async add(preview: Account): Promise<Account> {
    const dn = `uid=${randomBytes(8).toString('hex')},${this.settings.baseDn}`;
    const attributes: Record<string, string[]> = {
      objectClass: ['inetOrgPerson'],
      cn: [preview.accountName],
      sn: [preview.accountName],
    };
    for (const [attribute, value] of directoryValues(preview, this.settings.attributes)) {
      if (value !== null) attributes[attribute] = [value];
    }
    // A bcrypt hash (import from the embedded store) is a valid {CRYPT} value for slapd.
    if (preview.passwordHash !== null) attributes.userPassword = [`{CRYPT}${preview.passwordHash}`];
    try {
      await this.ldap.service('add', (client) => client.add(dn, attributes));
    } catch (error) {
      if (isUniquenessRefusal(error)) throw new LoginEmailTakenError();
      throw refusal(error, 'adding an account');
    }
    const entry = await this.readByDn(dn);
    if (entry === null)
      throw new CorruptRecordError(`directory entry ${dn}`, 'not readable after it was added');
    const record = await this.recordFor(entry, preview);
    return overlay(record, entry, this.settings.attributes);
  }

  async getById(accountId: string): Promise<Account | null> {
    const record = await this.records.getById(accountId);
    return record === null ? null : this.present(record);
  }

  async getByLoginEmail(email: string): Promise<Account | null> {
    const entry = await this.findByLoginEmail(email);
    if (entry === null) return null;
    return overlay(await this.recordFor(entry), entry, this.settings.attributes);
  }

  async getBySlackUser(teamId: string, userId: string): Promise<Account | null> {
    const record = await this.records.getBySlackUser(teamId, userId);
    return record === null ? null : this.present(record);
  }

  linkSlackUser(accountId: string, teamId: string, userId: string): Promise<LinkResult> {
    return this.records.linkSlackUser(accountId, teamId, userId);
  }

  unlinkSlackUser(accountId: string, teamId: string, userId: string): Promise<boolean> {
    return this.records.unlinkSlackUser(accountId, teamId, userId);
  }

  async update(accountId: string, patch: ProfilePatch): Promise<Account> {
    const { record, entry, account } = await this.mustLoad(accountId);
    const next = withProfilePatch(account, patch);
    const undo = await this.writeEntry(entry, account, next, 'a profile change');
    try {
      await this.records.update(record.accountId, patch);
    } catch (error) {
      await undo();
      throw error;
    }
    return this.mustPresent(accountId);
  }

  changeLoginEmail(accountId: string, email: string): Promise<LoginEmailChange> {
    return this.emailLock.run(loginEmailKey(email), () => this.changeLoginEmailNow(accountId, email));
  }

  private async changeLoginEmailNow(accountId: string, email: string): Promise<LoginEmailChange> {
    const { entry, account } = await this.mustLoad(accountId);
    const next = withLoginEmail(account, email);
    const sameEmail =
      account.loginEmail !== null && loginEmailKey(account.loginEmail) === loginEmailKey(email);
    if (!sameEmail) {
      const holder = await this.findByLoginEmail(email);
      if (holder !== null && holder.id !== entry.id) return { outcome: 'taken' };
    }
    let undo: () => Promise<void>;
    try {
      undo = await this.writeEntry(entry, account, next, 'a login email change');
    } catch (error) {
      if (error instanceof LoginEmailTakenError) return { outcome: 'taken' };
      throw error;
    }
    if ((await this.holdersOf(email)).length > 1) {
      await undo();
      return { outcome: 'taken' };
    }
    return {
      outcome: 'changed',
      account: await this.mustPresent(accountId),
      previousLoginEmail: account.loginEmail,
    };
  }

  setPassword(): Promise<number> {
    return Promise.reject(new DirectoryManagesPasswordsError());
  }

  /** The directory hashes passwords itself; there is never a product hash to upgrade. */
  async upgradePasswordHash(): Promise<boolean> {
    return false;
  }

  async bumpCredentialVersion(accountId: string): Promise<number> {
    await this.records.bumpCredentialVersion(accountId);
    return (await this.mustLoad(accountId)).account.credentialVersion;
  }

  async setSelfServiceLock(accountId: string, locked: boolean, reason?: string): Promise<Account> {
    return this.present(await this.records.setSelfServiceLock(accountId, locked, reason));
  }

  async submit(accountId: string, submission: SubmissionInput): Promise<SubmitResult> {
    const result = await this.records.submit(accountId, submission);
    return result.outcome === 'submitted'
      ? { ...result, account: await this.present(result.account) }
      : result;
  }

  getSubmission(submissionId: string): Promise<VerificationSubmission | null> {
    return this.records.getSubmission(submissionId);
  }

  listPending(): Promise<VerificationSubmission[]> {
    return this.records.listPending();
  }

  async decide(submissionId: string, decision: DecisionInput): Promise<DecideResult> {
    const result = await this.records.decide(submissionId, decision);
    return result.outcome === 'decided' ? { ...result, account: await this.present(result.account) } : result;
  }

  /** The entry of an account, for the password and lockout operations (null when it left the directory). */
  async entryOf(accountId: string): Promise<DirectoryEntry | null> {
    const record = await this.records.getById(accountId);
    return record === null ? null : this.readById(this.entryIdOf(record));
  }

  /** People whose password was last changed within [from, until], with their account ids. */
  async changedBetween(from: number, until: number): Promise<{ accountId: string; entry: DirectoryEntry }[]> {
    const [attribute, time] =
      this.settings.mode === 'ad' ? ['pwdLastSet', toAdTimestamp] : ['pwdChangedTime', toGeneralizedTime];
    const filter = `(&${this.settings.userFilter}(${attribute}>=${time(from)})(${attribute}<=${time(until)}))`;
    const found: { accountId: string; entry: DirectoryEntry }[] = [];
    for (const entry of await this.search(filter, 0)) {
      found.push({ accountId: (await this.recordFor(entry)).accountId, entry });
    }
    return found;
  }

  /** Finds the one entry with this login email; none or several (a directory fault) find nothing. */
  private async findByLoginEmail(email: string): Promise<DirectoryEntry | null> {
    const entries = await this.holdersOf(email);
    return entries.length === 1 ? (entries[0] ?? null) : null;
  }

  private async holdersOf(email: string): Promise<DirectoryEntry[]> {
    const attribute = this.settings.attributes.loginEmail;
    if (attribute === null) return [];
    // The attribute name comes from configuration; only the person's input needs escaping.
    const filter = `(&${this.settings.userFilter}(${attribute}=${escapeFilter`${email.trim()}`}))`;
    return this.search(filter, 3);
  }

  private async readById(id: string): Promise<DirectoryEntry | null> {
    const filter =
      this.settings.mode === 'ad'
        ? `(&${this.settings.userFilter}${escapeFilter`(objectGUID=${Buffer.from(id, 'hex')})`})`
        : `(&${this.settings.userFilter}${escapeFilter`(entryUUID=${id})`})`;
    const entries = await this.search(filter, 2);
    return entries.length === 1 ? (entries[0] ?? null) : null;
  }

  private async readByDn(dn: string): Promise<DirectoryEntry | null> {
    const { searchEntries } = await this.ldap.service('read', (client) =>
      client.search(dn, {
        scope: 'base',
        attributes: this.attributes,
        explicitBufferAttributes: ['objectGUID'],
      }),
    );
    const found = searchEntries[0];
    return found === undefined ? null : readEntry(this.settings.mode, this.settings.attributes, found);
  }

  private async search(filter: string, sizeLimit: number): Promise<DirectoryEntry[]> {
    const { searchEntries } = await this.ldap.service('search', (client: Client) =>
      client.search(this.settings.baseDn, {
        scope: 'sub',
        filter,
        sizeLimit,
        // An unlimited search (the expiry scan) reads in pages, as large directories require.
        ...(sizeLimit === 0 ? { paged: { pageSize: 500 } } : {}),
        attributes: this.attributes,
        explicitBufferAttributes: ['objectGUID'],
      }),
    );
    return searchEntries
      .map((entry: Entry) => readEntry(this.settings.mode, this.settings.attributes, entry))
      .filter((entry): entry is DirectoryEntry => entry !== null);
  }

  /** The product record of an entry, made on first sight; a racing creator's record wins. */
  private async recordFor(entry: DirectoryEntry, seed?: Account): Promise<Account> {
    const key = this.recordKey(entry.id);
    const existing = await this.records.getByLoginEmail(key);
    if (existing !== null) return existing;
    try {
      return await this.records.create({
        loginEmail: key,
        accountName: entry.name,
        industry: seed?.industry ?? null,
        contactNumber: seed?.contactNumber ?? null,
        contactEmail: seed?.contactEmail ?? null,
        contactEmailVerified: seed?.contactEmailVerified ?? false,
        contactAddress: seed?.contactAddress ?? null,
        securityMobile: seed?.securityMobile ?? null,
        verificationEmail: seed?.verificationEmail ?? null,
      });
    } catch (error) {
      if (!(error instanceof LoginEmailTakenError)) throw error;
      const winner = await this.records.getByLoginEmail(key);
      if (winner === null) throw error;
      return winner;
    }
  }

  private async present(record: Account): Promise<Account> {
    const entry = await this.readById(this.entryIdOf(record));
    if (entry === null) throw new UnknownAccountError(record.accountId);
    return overlay(record, entry, this.settings.attributes);
  }

  private async mustPresent(accountId: string): Promise<Account> {
    return (await this.mustLoad(accountId)).account;
  }

  private async mustLoad(
    accountId: string,
  ): Promise<{ record: Account; entry: DirectoryEntry; account: Account }> {
    const record = await this.records.getById(accountId);
    if (record === null) throw new UnknownAccountError(accountId);
    const entry = await this.readById(this.entryIdOf(record));
    if (entry === null) throw new UnknownAccountError(accountId);
    return { record, entry, account: overlay(record, entry, this.settings.attributes) };
  }

  /**
   * Makes the entry's mapped attributes say what `next` says, in one modify. Returns the
   * undo: the same modify back to what `current` said.
   */
  private async writeEntry(
    entry: DirectoryEntry,
    current: Account,
    next: Account,
    what: string,
  ): Promise<() => Promise<void>> {
    const before = directoryValues(current, this.settings.attributes);
    const after = directoryValues(next, this.settings.attributes);
    const changes = changesBetween(before, after);
    if (changes.length === 0) return async () => undefined;
    try {
      await this.ldap.service('modify', (client) => client.modify(entry.dn, changes));
    } catch (error) {
      if (isUniquenessRefusal(error)) throw new LoginEmailTakenError();
      throw refusal(error, what, this.fieldsOf(changes));
    }
    return async () => {
      await this.ldap
        .service('modify', (client) => client.modify(entry.dn, changesBetween(after, before)))
        .catch(() => undefined);
    };
  }

  /** The account fields a modify writes, for a refusal that names them. */
  private fieldsOf(changes: Change[]): MappableField[] {
    const attributes = new Set(changes.map((change) => change.modification.type.toLowerCase()));
    return MAPPABLE_FIELDS.filter((field) =>
      attributes.has(this.settings.attributes[field]?.toLowerCase() ?? ''),
    );
  }

  private recordKey(id: string): string {
    return `${id}@${RECORD_KEY_DOMAIN}`;
  }

  private entryIdOf(record: Account): string {
    const match = /^([0-9a-f-]{32,36})@entry\.invalid$/.exec(record.loginEmail ?? '');
    if (!match?.[1]) {
      throw new CorruptRecordError(`account ${record.accountId}`, 'has no directory entry id');
    }
    return match[1];
  }
}

function changesBetween(before: Map<string, string | null>, after: Map<string, string | null>): Change[] {
  const changes: Change[] = [];
  for (const [attribute, value] of after) {
    if (before.get(attribute) === value) continue;
    changes.push(
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: attribute, values: value === null ? [] : [value] }),
      }),
    );
  }
  return changes;
}

function isUniquenessRefusal(error: unknown): boolean {
  return (
    error instanceof AlreadyExistsError ||
    (error instanceof ConstraintViolationError && /unique/i.test(error.message))
  );
}

/** The directory's "no" to a write, as the typed refusal; outages and bugs pass through. */
function refusal(error: unknown, what: string, fields: readonly MappableField[] = []): unknown {
  if (error instanceof InsufficientAccessError) return new DirectoryRefusedError('access', what, fields);
  if (
    error instanceof ObjectClassViolationError ||
    error instanceof UndefinedTypeError ||
    error instanceof InvalidSyntaxError ||
    error instanceof ConstraintViolationError
  ) {
    return new DirectoryRefusedError('schema', what, fields);
  }
  return error;
}
