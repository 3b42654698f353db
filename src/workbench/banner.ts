import { workbench as text } from '../messages/workbench.js';
import { DEMO_PASSWORD } from '../services/demo-accounts.js';
import { WORKBENCH_PEOPLE } from './people.js';

/** The one block `npm start` prints for the workbench: where to go, what store, who to be. */
export function workbenchBanner(url: string, store: 'redis' | 'memory'): string {
  const width = Math.max(...WORKBENCH_PEOPLE.map((person) => person.name.length));
  const rule = '─'.repeat(64);
  return [
    rule,
    `  ${text.banner.heading}`,
    `  ${text.banner.open(url)}`,
    `  ${text.banner.store(store)}`,
    `  ${text.banner.people}`,
    ...WORKBENCH_PEOPLE.map(
      (person) => `    ${person.name.padEnd(width)}  ${person.email ?? '—'} · ${person.role}`,
    ),
    `  ${text.banner.password(DEMO_PASSWORD)}`,
    rule,
    '',
  ].join('\n');
}
