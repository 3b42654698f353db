import { describe, expect, it } from 'vitest';
import { mentionWords } from '../listeners/events/app-mention.js';
import { isSupportVerb, parseTargetUser } from './commands.js';

describe('support command parsing', () => {
  it('reads one user from a mention, a labelled mention or a bare id', () => {
    expect(parseTargetUser('<@U0DANA>')).toBe('U0DANA');
    expect(parseTargetUser(' <@U0DANA|dana> ')).toBe('U0DANA');
    expect(parseTargetUser('W0DANA')).toBe('W0DANA');
  });

  it('refuses anything but exactly one user', () => {
    expect(parseTargetUser('')).toBeNull();
    expect(parseTargetUser('<@U0A> <@U0B>')).toBeNull();
    expect(parseTargetUser('dana@example.com')).toBeNull();
    expect(parseTargetUser('<#C0GENERAL>')).toBeNull();
  });

  it('knows the three support verbs only', () => {
    expect(['lookup', 'unlock', 'reset-offer'].every(isSupportVerb)).toBe(true);
    expect(isSupportVerb('delete')).toBe(false);
  });

  it('drops the app mention wherever it sits', () => {
    expect(mentionWords('<@U0BOT> lookup <@U0DANA>', 'U0BOT')).toEqual(['lookup', '<@U0DANA>']);
    expect(mentionWords('hey <@U0BOT>  help', 'U0BOT')).toEqual(['hey', 'help']);
  });
});
