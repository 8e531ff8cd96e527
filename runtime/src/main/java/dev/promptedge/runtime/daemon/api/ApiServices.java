package dev.promptedge.runtime.daemon.api;

import dev.promptedge.format.Health;
import dev.promptedge.format.SourceSettings;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.daemon.serving.ImageIntake;
import dev.promptedge.runtime.daemon.serving.InferenceQueue;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.daemon.serving.Metrics;
import dev.promptedge.runtime.daemon.serving.TaskControl;
import dev.promptedge.runtime.source.SourceManager;
import dev.promptedge.runtime.source.SourceSpec;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the API's handlers serve from; owned by the daemon, not by the API.
 *
 * @param control task changes and listings
 * @param queue the inference queue
 * @param metrics counters and histograms
 * @param images image decoding with the profile's pixel cap, and its memory cost
 * @param budget memory that requests in flight may hold
 * @param maxBodyBytes largest accepted request body
 * @param token bearer token clients must send, or empty for none
 * @param health the daemon's health now
 * @param log where internal errors are written
 * @param sources the running frame sources and their results hub
 * @param sourceSpec a source's settings as a spec, checked as the profile's are (throws {@link
 *     IllegalArgumentException} naming the field)
 * @param maxEventClients clients of GET /v1/events at once; more get 503
 * @param eventQueueBytes bytes of events that may wait unsent for one events client before it is
 *     disconnected
 */
public record ApiServices(
    TaskControl control,
    InferenceQueue queue,
    Metrics metrics,
    ImageIntake images,
    MemoryBudget budget,
    long maxBodyBytes,
    String token,
    Supplier<Health> health,
    DaemonLog log,
    SourceManager sources,
    Function<SourceSettings, SourceSpec> sourceSpec,
    int maxEventClients,
    int eventQueueBytes) {}
