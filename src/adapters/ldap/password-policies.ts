import type { Clock } from '../../core/clock.js';
import type { LdapMode } from '../../config/ldap-attributes.js';
import type { LdapConnections } from './connections.js';
import { adInterval } from './times.js';

/** Policies change rarely; reading one per account read would double the directory's work. */
const CACHE_MS = 5 * 60_000;

/**
 * The maximum password age of the directory's password policies: OpenLDAP's ppolicy entries
 * (`pwdMaxAge`, seconds; the person's own `pwdPolicySubentry` or the configured default) or
 * Active Directory's domain policy (`maxPwdAge`, negative 100-ns intervals). Null: no maximum.
 */
export class PasswordPolicies {
  private readonly cache = new Map<string, { maxAgeMs: number | null; readAt: number }>();

  constructor(
    private readonly ldap: LdapConnections,
    private readonly mode: LdapMode,
    private readonly defaultDn: string | null,
    private readonly clock: Clock,
  ) {}

  async maxAgeMs(policyDn: string | null = null): Promise<number | null> {
    const dn = policyDn ?? this.defaultDn;
    if (dn === null) return null;
    const cached = this.cache.get(dn);
    if (cached !== undefined && this.clock.now() - cached.readAt < CACHE_MS) return cached.maxAgeMs;
    const attribute = this.mode === 'ad' ? 'maxPwdAge' : 'pwdMaxAge';
    const { searchEntries } = await this.ldap.service('policy', (client) =>
      client.search(dn, { scope: 'base', attributes: [attribute] }),
    );
    const raw = searchEntries[0]?.[attribute];
    const text = String(Array.isArray(raw) ? raw[0] : (raw ?? ''));
    const maxAgeMs = this.mode === 'ad' ? adInterval(text) : seconds(text);
    this.cache.set(dn, { maxAgeMs, readAt: this.clock.now() });
    return maxAgeMs;
  }
}

function seconds(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value > 0 ? value * 1000 : null;
}
