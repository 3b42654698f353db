import { describe, expect, it } from 'vitest';
import type { FlowMessages } from '../../src/ports/flow-messages.js';

/** What every FlowMessages adapter does. */
export function describeFlowMessagesContract(label: string, factory: () => Promise<FlowMessages>): void {
  describe(`FlowMessages contract (${label})`, () => {
    it('remembers where each flow’s message is, per user and flow', async () => {
      const messages = await factory();
      await messages.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
      expect(await messages.find('T1', 'U1', 'flow-a')).toEqual({ channel: 'DU1', ts: '1.000001' });
      expect(await messages.find('T1', 'U2', 'flow-a')).toBeNull();
      expect(await messages.find('T2', 'U1', 'flow-a')).toBeNull();
      expect(await messages.find('T1', 'U1', 'flow-b')).toBeNull();
    });

    it('keeps the flow the message shows and whether it ended, and replaces an older record', async () => {
      const messages = await factory();
      await messages.remember('T1', 'U1', 'flow-a', { channel: 'DU1', ts: '1.000001' });
      const ended = { channel: 'DU1', ts: '1.000002', machineId: 'change-password', ended: true };
      await messages.remember('T1', 'U1', 'flow-a', ended);
      expect(await messages.find('T1', 'U1', 'flow-a')).toEqual(ended);
    });
  });
}
