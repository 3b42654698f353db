import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** One command a script ran, and the keys that script was given. */
interface ScriptCommand {
  declared: readonly string[];
  command: readonly string[];
}

const SCRIPT_CALLS = new Set(['eval', 'evalsha', 'eval_ro', 'evalsha_ro']);

/**
 * Watches one Redis server with MONITOR, which lists every command a script runs right after
 * the EVAL or EVALSHA that ran it (a script runs alone), and finds the keys scripts touched
 * without declaring them in KEYS.
 */
export class ScriptKeyWatch {
  private readonly seen: ScriptCommand[] = [];
  private readonly markers = new Map<string, () => void>();
  private declared: readonly string[] | null = null;

  private constructor(
    private readonly control: Redis,
    private readonly monitor: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => this.observe(args, source));
  }

  static async start(url: string): Promise<ScriptKeyWatch> {
    const control = new Redis(url);
    return new ScriptKeyWatch(control, await control.monitor());
  }

  /** How many commands scripts ran so far (a watch that saw none proves nothing). */
  get scriptCommands(): number {
    return this.seen.length;
  }

  /** `COMMAND key (declared: …)` for every key a script touched that it did not declare. */
  async undeclared(): Promise<string[]> {
    await this.caughtUp();
    const found: string[] = [];
    for (const { declared, command } of this.seen) {
      for (const key of await this.keysOf(command)) {
        if (!declared.includes(key)) found.push(`${command[0]} ${key} (declared: ${declared.join(', ')})`);
      }
    }
    return [...new Set(found)];
  }

  async stop(): Promise<void> {
    this.monitor.disconnect();
    await this.control.quit();
  }

  private observe(args: string[], source: string): void {
    const [name = '', ...rest] = args;
    if (source === 'lua') {
      if (this.declared !== null) this.seen.push({ declared: this.declared, command: args });
      return;
    }
    this.declared = SCRIPT_CALLS.has(name.toLowerCase()) ? rest.slice(2, 2 + Number(rest[1])) : null;
    if (name.toLowerCase() === 'echo') this.markers.get(rest[0] ?? '')?.();
  }

  /** Resolves once MONITOR has shown everything sent before this call. */
  private async caughtUp(): Promise<void> {
    const marker = `script-key-watch-${randomBytes(4).toString('hex')}`;
    const seen = new Promise<void>((resolve) => this.markers.set(marker, resolve));
    await this.control.echo(marker);
    await seen;
    this.markers.delete(marker);
  }

  /** The keys of one command as the server itself finds them (none for a command without keys). */
  private async keysOf(command: readonly string[]): Promise<string[]> {
    try {
      return (await this.control.call('COMMAND', 'GETKEYS', ...command)) as string[];
    } catch (error) {
      if (error instanceof Error && /no key arguments|Invalid arguments/i.test(error.message)) return [];
      throw error;
    }
  }
}
