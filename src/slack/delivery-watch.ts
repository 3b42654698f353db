import type { DeliveryClaim, InteractionOptions } from '../engine/flow-engine.js';

/**
 * How the delivery claim the engine made went, so the listener answers as the ingress gate
 * answered its own: a replay with nothing, a claim the store could not make with "temporarily
 * unavailable" (a button's flow message and its buttons stay as they are: clicking again works).
 */
export class DeliveryWatch {
  replayed = false;
  refused = false;
  /** The store answered the claim, made with the flow's first read, either way. */
  private answered = false;
  readonly options: InteractionOptions;

  constructor(private readonly claim: DeliveryClaim | undefined) {
    this.options = claim
      ? {
          claim: async () => {
            try {
              const first = await claim();
              this.replayed = !first;
              return first;
            } catch (error) {
              this.refused = true;
              throw error;
            } finally {
              this.answered = true;
            }
          },
        }
      : {};
  }

  /**
   * The engine is still waiting for the store to read the flow (rather than on a slow effect
   * after it); false when there is no claim to tell by.
   */
  get storeSilent(): boolean {
    return this.claim !== undefined && !this.answered;
  }
}
