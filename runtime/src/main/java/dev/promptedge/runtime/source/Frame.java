package dev.promptedge.runtime.source;

/** One encoded frame as it arrived from a source. */
record Frame(long sequence, long arrivedNanos, long arrivedMillis, byte[] jpeg) {}
