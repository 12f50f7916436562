/** The core's event channel: transports subscribe and forward every event to their UI. */
import type { EventName, Events } from '../api/events.ts';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

export class EventHub {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch {
        // A broken subscriber (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
