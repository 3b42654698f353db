import type { Redis } from 'ioredis';

/**
 * Counts round trips to Redis on one connection: a command sent while none is waiting for its
 * answer starts one; commands sent while others wait ride along with them, as a pipeline does.
 */
export function roundTripCounter(redis: Redis) {
  let waiting = 0;
  let trips = 0;
  let commands = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command, stream) => {
    if (waiting === 0) trips += 1;
    commands += 1;
    waiting += 1;
    const answered = () => {
      waiting -= 1;
    };
    command.promise.then(answered, answered);
    return send(command, stream);
  }) as typeof redis.sendCommand;
  return {
    /** Runs `work` with the counts starting from zero; its result passes through. */
    async during<T>(work: () => Promise<T>): Promise<T> {
      trips = 0;
      commands = 0;
      return work();
    },
    /** Round trips during the last `during`. */
    count: () => trips,
    /** Commands sent during the last `during`. */
    commands: () => commands,
  };
}
