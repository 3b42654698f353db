/**
 * `npm run profile-step`: where the CPU of one flow step goes. Runs the bench's flow step
 * (a Cancel click, done when its chat.update arrives) and bare Bolt's step on the same fake
 * Slack, measures the process's CPU time per step, then samples each with the V8 profiler
 * around the steps only and prints self time by module. CPU time, unlike steps per second,
 * does not depend on how busy the machine is. The app logs at info, as in production, into a
 * counter. `--out DIR` keeps the .cpuprofile files (open them in Chrome DevTools).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Session, type Profiler } from 'node:inspector/promises';
import { startRedisServer } from '../test/support/redis-server.js';
import { startRig, stepRun, type BenchRig, type Target } from './bench-e2e.js';

const USERS = 32;
const ROUNDS = 20;
/** Runs of each, alternating: CPU time drifts with what else the machine runs. */
const RUNS = 7;

function option(name: string): string | null {
  const at = process.argv.indexOf(name);
  return at >= 0 ? (process.argv[at + 1] ?? null) : null;
}

/** Who spends a sample: the package or our own folder its function lives in. */
function ownerOf(frame: Profiler.ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (isIdle(frame)) return '(idle)';
  if (url === '') return functionName.startsWith('(') ? functionName : 'V8 builtins';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) return PACKAGE_GROUPS[pkg] ?? `npm ${pkg}`;
  if (url.includes('internal/deps/undici')) return 'bench client (fetch)';
  if (/node:(_http|http|internal\/http|net|internal\/stream|stream|internal\/streams)/.test(url))
    return 'node http/net/streams';
  if (url.startsWith('node:')) return 'node other';
  const own = /\/(src\/[^/]+|machines|scripts|test)\//.exec(url)?.[1];
  if (own === 'test' || own === 'scripts') return 'bench client / fake Slack';
  return own ? `ours: ${own}` : url;
}

/**
 * Node does not tell V8 when its event loop waits, so waiting is sampled in the last native
 * frame entered: the inspector's own dispatch that started the profiler.
 */
function isIdle(frame: Profiler.ProfileNode['callFrame']): boolean {
  return frame.url === '' && (frame.functionName === '(idle)' || frame.functionName === 'dispatch');
}

const PACKAGE_GROUPS: Record<string, string> = {
  '@slack/bolt': 'Bolt',
  '@slack/web-api': 'Web API client',
  '@slack/logger': 'Web API client',
  axios: 'Web API client (axios)',
  'form-data': 'Web API client (axios)',
  'follow-redirects': 'Web API client (axios)',
  'p-queue': 'Web API client',
  'p-retry': 'Web API client',
  xstate: 'XState',
  ioredis: 'ioredis',
  'redis-parser': 'ioredis',
  denque: 'ioredis',
  'cluster-key-slot': 'ioredis',
  'standard-as-callback': 'ioredis',
  pino: 'pino',
  express: 'Express',
  router: 'Express',
  'body-parser': 'Express',
  'raw-body': 'Express',
  'iconv-lite': 'Express',
  qs: 'Express',
  'type-is': 'Express',
  'content-type': 'Express',
  debug: 'Express',
  finalhandler: 'Express',
  zod: 'zod',
};

function selfTimeByOwner(profile: Profiler.Profile): Map<string, number> {
  const owners = new Map<number, string>();
  for (const node of profile.nodes) owners.set(node.id, ownerOf(node.callFrame));
  const byOwner = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const owner = owners.get(samples[i] ?? -1) ?? '?';
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  byOwner.delete('(idle)');
  return byOwner;
}

function topFunctions(profile: Profiler.Profile, count: number): string[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const frame = nodes.get(samples[i] ?? -1)?.callFrame;
    if (!frame || isIdle(frame)) continue;
    const where = frame.url
      .replace(/^.*node_modules\//, '')
      .replace(/^file:\/\/.*?\/(src|machines)\//, '$1/');
    const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}`);
}

async function profiled(
  session: Session,
  rig: BenchRig,
  target: Target,
): Promise<{ profile: Profiler.Profile; steps: number }> {
  let profile: Profiler.Profile | null = null;
  await stepRun(rig, target, rig.people.slice(0, USERS), ROUNDS, {
    before: async () => {
      await session.post('Profiler.start');
    },
    after: async () => {
      const taken = await session.post('Profiler.stop');
      profile = profile ? merge(profile, taken.profile) : taken.profile;
    },
  });
  if (!profile) throw new Error('no profile taken');
  return { profile, steps: USERS * ROUNDS };
}

/** One profile per burst, summed: nodes of later ones renumbered after the first's. */
function merge(into: Profiler.Profile, next: Profiler.Profile): Profiler.Profile {
  const offset = Math.max(...into.nodes.map((node) => node.id));
  return {
    ...into,
    nodes: [
      ...into.nodes,
      ...next.nodes.map((node) => ({
        ...node,
        id: node.id + offset,
        ...(node.children ? { children: node.children.map((child) => child + offset) } : {}),
      })),
    ],
    samples: [...(into.samples ?? []), ...(next.samples ?? []).map((id) => id + offset)],
    timeDeltas: [...(into.timeDeltas ?? []), ...(next.timeDeltas ?? [])],
    endTime: next.endTime,
  };
}

async function main(): Promise<void> {
  const server = process.env.REDIS_URL ? null : await startRedisServer();
  const redisUrl = process.env.REDIS_URL ?? server?.url ?? '';
  const out = option('--out');
  let logged = 0;
  const logLines = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged += chunk.toString().split('\n').length - 1;
      done();
    },
  });
  const rig = await startRig(redisUrl, logLines);
  const session = new Session();
  session.connect();
  try {
    await rig.makePeople(USERS);
    const people = rig.people.slice(0, USERS);
    for (const target of [rig.appTarget, rig.bareTarget]) await stepRun(rig, target, people, 10);
    const loggedBefore = logged;
    const cpu = { app: [] as number[], bare: [] as number[] };
    for (let run = 0; run < RUNS; run += 1) {
      cpu.app.push((await stepRun(rig, rig.appTarget, people, ROUNDS)).cpuMsPerStep);
      cpu.bare.push((await stepRun(rig, rig.bareTarget, people, ROUNDS)).cpuMsPerStep);
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN;
    console.log(
      `CPU per step (${USERS} users, ${ROUNDS} rounds, median of ${RUNS}; client and fake Slack included in both): ` +
        `app ${median(cpu.app).toFixed(3)} ms, bare ${median(cpu.bare).toFixed(3)} ms; ` +
        `least app ${Math.min(...cpu.app).toFixed(3)}, bare ${Math.min(...cpu.bare).toFixed(3)} ` +
        `(runs app ${cpu.app.map((v) => v.toFixed(3)).join(' ')}; bare ${cpu.bare.map((v) => v.toFixed(3)).join(' ')})`,
    );

    console.log(
      `log lines at info per app step: ${((logged - loggedBefore) / (RUNS * USERS * ROUNDS)).toFixed(2)}`,
    );
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    const app = await profiled(session, rig, rig.appTarget);
    const bare = await profiled(session, rig, rig.bareTarget);
    if (out) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'app-step.cpuprofile'), JSON.stringify(app.profile));
      writeFileSync(join(out, 'bare-step.cpuprofile'), JSON.stringify(bare.profile));
    }
    const appOwners = selfTimeByOwner(app.profile);
    const bareOwners = selfTimeByOwner(bare.profile);
    const appTotal = [...appOwners.values()].reduce((a, b) => a + b, 0);
    const bareTotal = [...bareOwners.values()].reduce((a, b) => a + b, 0);
    console.log(
      `\nself time per step by module (sampled): app ${(appTotal / app.steps).toFixed(3)} ms, bare ${(bareTotal / bare.steps).toFixed(3)} ms`,
    );
    console.log(
      `${'module'.padEnd(34)} ${'app ms'.padStart(8)} ${'share'.padStart(6)} ${'bare ms'.padStart(8)}`,
    );
    const owners = [...new Set([...appOwners.keys(), ...bareOwners.keys()])].sort(
      (a, b) => (appOwners.get(b) ?? 0) - (appOwners.get(a) ?? 0),
    );
    for (const owner of owners) {
      const a = (appOwners.get(owner) ?? 0) / app.steps;
      const b = (bareOwners.get(owner) ?? 0) / bare.steps;
      if (a < 0.001 && b < 0.001) continue;
      console.log(
        `${owner.padEnd(34)} ${a.toFixed(3).padStart(8)} ${`${((100 * a * app.steps) / appTotal).toFixed(0)}%`.padStart(6)} ${b.toFixed(3).padStart(8)}`,
      );
    }
    console.log(`\ntop functions by self time, app (${app.steps} steps):`);
    for (const line of topFunctions(app.profile, 30)) console.log(line);
  } finally {
    session.disconnect();
    await rig.close();
    await server?.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
