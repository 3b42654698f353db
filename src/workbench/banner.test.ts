import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../services/demo-accounts.js';
import { workbenchBanner } from './banner.js';
import { WORKBENCH_PEOPLE } from './people.js';

describe('workbench banner', () => {
  it('names the URL, the store and every demo person with the demo password', () => {
    const banner = workbenchBanner('http://localhost:3000', 'memory');
    expect(banner).toContain('Open http://localhost:3000 in a browser.');
    expect(banner).toContain('Store: in-process, lost on exit.');
    for (const person of WORKBENCH_PEOPLE) expect(banner).toContain(person.name);
    expect(banner).toContain(DEMO_PASSWORD);
    expect(workbenchBanner('http://localhost:3000', 'redis')).toContain('Store: Redis (REDIS_URL)');
  });
});
