import type {
  EngineResult,
  FlowEngine,
  FlowEventWithoutNow,
  InteractionOptions,
  StartOptions,
} from '../../../src/engine/flow-engine.js';
import type { FlowId, StartInput } from '../../../src/engine/flow-registry.js';

export interface EngineCall {
  method: 'start' | 'send' | 'current' | 'cancel' | 'active';
  owner: string;
  machineId?: FlowId;
  flowId?: string;
  event?: FlowEventWithoutNow;
  input?: StartInput;
  options?: StartOptions;
}

/**
 * A FlowEngine double for tests of the Slack runtime itself (door, dedupe, commands): it
 * records what the listeners asked and answers with a configurable result.
 */
export class StubEngine implements FlowEngine {
  readonly calls: EngineCall[] = [];
  next: (call: EngineCall) => EngineResult = (call) => ({
    status: 'active',
    flowId: call.flowId ?? 'flow-1',
    machineId: call.machineId ?? 'changeContactMobile',
    view: null,
    busy: false,
  });
  activeFlow: { flowId: string; machineId: FlowId } | null = null;

  async start(
    owner: string,
    machineId: FlowId,
    input: StartInput,
    options?: StartOptions,
  ): Promise<EngineResult> {
    const call: EngineCall = { method: 'start', owner, machineId, input, ...(options ? { options } : {}) };
    this.calls.push(call);
    return this.next(call);
  }

  async send(
    owner: string,
    flowId: string,
    event: FlowEventWithoutNow,
    options?: InteractionOptions,
  ): Promise<EngineResult> {
    // As the engine does: a delivery claimed before runs nothing.
    if (options?.claim && !(await options.claim())) return { status: 'already-handled', flowId };
    const call: EngineCall = { method: 'send', owner, flowId, event };
    this.calls.push(call);
    return this.next(call);
  }

  async current(owner: string, flowId: string): Promise<EngineResult> {
    const call: EngineCall = { method: 'current', owner, flowId };
    this.calls.push(call);
    return this.next(call);
  }

  async cancel(owner: string, flowId: string, options?: InteractionOptions): Promise<EngineResult> {
    if (options?.claim && !(await options.claim())) return { status: 'already-handled', flowId };
    const call: EngineCall = { method: 'cancel', owner, flowId };
    this.calls.push(call);
    return this.next(call);
  }

  async active(owner: string): Promise<{ flowId: string; machineId: FlowId } | null> {
    this.calls.push({ method: 'active', owner });
    return this.activeFlow;
  }

  passwordLinkUrl(): string | null {
    return null;
  }

  callsOf(method: EngineCall['method']): EngineCall[] {
    return this.calls.filter((call) => call.method === method);
  }
}
