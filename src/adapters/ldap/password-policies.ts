import type { Clock } from '../../core/clock.js';
import type { LdapMode } from '../../config/ldap-attributes.js';
import type { LdapConnections } from './connections.js';
import { adInterval } from './times.js';

/** Policies change rarely; reading one per account read would double the directory's work. */
const CACHE_MS = 5 * 60_000;

interface PasswordAges {
  maxAgeMs: number | null;
  minAgeMs: number | null;
}

const AGE_ATTRIBUTES: Record<LdapMode, { max: string; min: string }> = {
  openldap: { max: 'pwdMaxAge', min: 'pwdMinAge' },
  ad: { max: 'maxPwdAge', min: 'minPwdAge' },
};

/**
 * The maximum and minimum password ages of the directory's password policies: OpenLDAP's
 * ppolicy entries (`pwdMaxAge`, `pwdMinAge`, seconds; the person's own `pwdPolicySubentry` or
 * the configured default) or Active Directory's domain policy (`maxPwdAge`, `minPwdAge`,
 * negative 100-ns intervals). Null: no such limit.
 */
export class PasswordPolicies {
  private readonly cache = new Map<string, PasswordAges & { readAt: number }>();

  constructor(
    private readonly ldap: LdapConnections,
    private readonly mode: LdapMode,
    private readonly defaultDn: string | null,
    private readonly clock: Clock,
  ) {}

  async maxAgeMs(policyDn: string | null = null): Promise<number | null> {
    return (await this.ages(policyDn))?.maxAgeMs ?? null;
  }

  async minAgeMs(policyDn: string | null = null): Promise<number | null> {
    return (await this.ages(policyDn))?.minAgeMs ?? null;
  }

  private async ages(policyDn: string | null): Promise<PasswordAges | null> {
    const dn = policyDn ?? this.defaultDn;
    if (dn === null) return null;
    const cached = this.cache.get(dn);
    if (cached !== undefined && this.clock.now() - cached.readAt < CACHE_MS) return cached;
    const names = AGE_ATTRIBUTES[this.mode];
    const { searchEntries } = await this.ldap.service('policy', (client) =>
      client.search(dn, { scope: 'base', attributes: [names.max, names.min] }),
    );
    const entry = searchEntries[0];
    const read = (attribute: string): number | null => {
      const raw = entry?.[attribute];
      const text = String(Array.isArray(raw) ? raw[0] : (raw ?? ''));
      return this.mode === 'ad' ? adInterval(text) : seconds(text);
    };
    const ages = { maxAgeMs: read(names.max), minAgeMs: read(names.min), readAt: this.clock.now() };
    this.cache.set(dn, ages);
    return ages;
  }
}

function seconds(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value > 0 ? value * 1000 : null;
}
