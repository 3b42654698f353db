import type { Clock } from '../../core/clock.js';
import { assertValidScratch, type EngineScratch } from '../../ports/engine-scratch.js';
import { asCorruptRecord, CachedScript } from './cached-script.js';
import { guarded, type RedisClient } from './connection.js';
import type { RedisKeys } from './keys.js';

/**
 * Values are stored as `<logical expiry>|<value>` (a claim has no value part); the expiry
 * from the injected clock decides liveness, Redis's own TTL does the cleanup.
 * ARGV: now[, value, ttlMs].
 */
const PUT = new CachedScript(`
redis.call('SET', KEYS[1], string.format('%d', tonumber(ARGV[1]) + tonumber(ARGV[3])) .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
`);

const READ = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local bar = string.find(raw, '|', 1, true)
local expiry = tonumber(bar and string.sub(raw, 1, bar - 1) or raw)
if not expiry then return redis.error_reply('CORRUPT engine scratch ' .. KEYS[1]) end
if expiry <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return false
end
`;

const GET = new CachedScript(`${READ}
if not bar then return false end
return string.sub(raw, bar + 1)
`);

const TAKE = new CachedScript(`${READ}
if not bar then return false end
redis.call('DEL', KEYS[1])
return string.sub(raw, bar + 1)
`);

const CLAIM_NEW = `
redis.call('SET', KEYS[1], string.format('%d', tonumber(ARGV[1]) + tonumber(ARGV[2])), 'PX', ARGV[2])
return 1
`;

const CLAIM_SCRIPT = new CachedScript(`
local raw = redis.call('GET', KEYS[1])
if raw then
  local bar = string.find(raw, '|', 1, true)
  local expiry = tonumber(bar and string.sub(raw, 1, bar - 1) or raw)
  if not expiry then return redis.error_reply('CORRUPT engine scratch ' .. KEYS[1]) end
  if expiry > tonumber(ARGV[1]) then return 0 end
end
${CLAIM_NEW}
`);

export class RedisEngineScratch implements EngineScratch {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: Clock,
  ) {}

  async put(tag: string, name: string, value: string, ttlMs: number): Promise<void> {
    assertValidScratch(tag, name, ttlMs);
    await this.run('put', PUT, tag, name, [value, ttlMs]);
  }

  async get(tag: string, name: string): Promise<string | null> {
    assertValidScratch(tag, name);
    return asText(await this.run('get', GET, tag, name, []));
  }

  async take(tag: string, name: string): Promise<string | null> {
    assertValidScratch(tag, name);
    return asText(await this.run('take', TAKE, tag, name, []));
  }

  async claim(tag: string, name: string, ttlMs: number): Promise<boolean> {
    assertValidScratch(tag, name, ttlMs);
    return (await this.run('claim', CLAIM_SCRIPT, tag, name, [ttlMs])) === 1;
  }

  async delete(tag: string, name: string): Promise<void> {
    assertValidScratch(tag, name);
    await guarded('engineScratch.delete', () => this.redis.del(this.key(tag, name)));
  }

  private key(tag: string, name: string): string {
    return this.keys.tagged(tag, 'scratch', name);
  }

  private run(operation: string, script: CachedScript, tag: string, name: string, args: (string | number)[]) {
    return guarded(`engineScratch.${operation}`, async () => {
      try {
        return await script.run(this.redis, [this.key(tag, name)], [this.clock.now(), ...args]);
      } catch (error) {
        throw asCorruptRecord('engine scratch entry', error);
      }
    });
  }
}

function asText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
