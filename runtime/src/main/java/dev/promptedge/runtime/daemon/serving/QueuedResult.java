package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.runtime.task.InferenceResult;

/**
 * An inference result with the time its request waited in the queue.
 *
 * @param result what the engine produced
 * @param queueMicros time from submission until its batch started, in microseconds
 * @param batchSize number of requests in the backbone call that served it
 */
public record QueuedResult(InferenceResult result, long queueMicros, int batchSize) {}
