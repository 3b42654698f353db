import {
  createActor,
  StateMachine,
  type Actor,
  type AnyActorLogic,
  type AnyMachineSnapshot,
  type AnyStateMachine,
} from 'xstate';
import { flowActors, type Interaction } from './effects/index.js';
import type { FlowId, FlowRegistry } from './flow-registry.js';

type FlowActor = Actor<AnyStateMachine>;

/**
 * Every flow machine with its effects provided once. An effect finds the interaction it
 * works for through the actor system running it, which the root actor shares with the
 * child machines it invokes.
 */
export class FlowActors {
  private readonly machines: ReadonlyMap<string, AnyStateMachine>;
  private readonly interactions = new WeakMap<object, Interaction>();

  constructor(flows: FlowRegistry) {
    this.machines = new Map(Object.entries(flows).map(([id, { machine }]) => [id, this.provided(machine)]));
  }

  /** A new run of the flow for this interaction. */
  start(id: FlowId, interaction: Interaction, input: unknown): FlowActor {
    return this.bound(createActor(this.machine(id), { input }), interaction);
  }

  /** The stored flow for this interaction, not started yet. */
  restore(id: FlowId, interaction: Interaction, snapshot: Record<string, unknown>): FlowActor {
    const options = { snapshot: snapshot as unknown as AnyMachineSnapshot, input: undefined };
    return this.bound(createActor(this.machine(id), options), interaction);
  }

  /**
   * The machine with its effects, and each child machine it invokes with its own, scoped
   * by where the child sits so that two children's same-named steps stay apart.
   */
  private provided(machine: AnyStateMachine, scope = machine.id): AnyStateMachine {
    const effects = flowActors(scope, (system) => this.interactionOf(system));
    const actors: Record<string, AnyActorLogic> = {};
    for (const [name, declared] of Object.entries(machine.implementations.actors)) {
      const effect = effects[name];
      if (declared instanceof StateMachine) actors[name] = this.provided(declared, `${scope}/${name}`);
      else if (effect !== undefined) actors[name] = effect;
    }
    return machine.provide({ actors });
  }

  private interactionOf(system: object): Interaction {
    const interaction = this.interactions.get(system);
    if (interaction === undefined) throw new Error('an effect ran outside an interaction');
    return interaction;
  }

  private machine(id: FlowId): AnyStateMachine {
    const machine = this.machines.get(id);
    if (machine === undefined) throw new RangeError(`unknown flow ${id}`);
    return machine;
  }

  private bound(actor: FlowActor, interaction: Interaction): FlowActor {
    this.interactions.set(actor.system, interaction);
    return actor;
  }
}
