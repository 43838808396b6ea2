/**
 * The CommandBus port: carries confirmed commands from the API to the engine. Delivery is
 * at-least-once; a delivery is acknowledged only after the command's terminal state is stored,
 * and one left unacknowledged by a dead consumer is delivered again.
 */
export interface CommandEnvelope {
  commandId: string;
  profileId: string;
  type: string;
  enqueuedAt: string;
}

export interface Delivery {
  envelope: CommandEnvelope;
  /** How many times this entry has been delivered, this one included. */
  deliveryCount: number;
}

/** Handles one delivery; resolving acknowledges it, rejecting leaves it for redelivery. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface Consumer {
  stop(): Promise<void>;
}

export interface CommandBus {
  publish(envelope: CommandEnvelope): Promise<void>;
  consume(profileId: string, consumerName: string, handler: DeliveryHandler): Consumer;
  /** True when the bus can accept commands now (the API refuses commands otherwise). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}
