package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.runtime.ota.UpdateStatus;
import dev.promptedge.runtime.source.SourceStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The daemon's counters, gauges and latency histograms, rendered in the Prometheus text exposition
 * format (version 0.0.4) without a metrics library. Thread-safe; lives as long as the daemon.
 */
public final class Metrics {

  /** Content type of {@link #render()}. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final ConcurrentMap<String, LatencyHistogram> latency = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LatencyHistogram> sourceLatency = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> bundleRejections = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> apiErrors = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> storeEvents = new ConcurrentHashMap<>();
  private volatile LongSupplier trialsPending = () -> 0;
  private volatile LongSupplier quarantined = () -> 0;
  private final LongAdder swaps = new LongAdder();
  private final LongAdder installs = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchedRequests = new LongAdder();
  private volatile LongSupplier queueDepth = () -> 0;
  private volatile LongSupplier residentBundles = () -> 0;
  private volatile Supplier<UpdateStatus> updates;
  private volatile Supplier<List<SourceStatus>> sources = List::of;
  private volatile LongSupplier eventClients = () -> 0;
  private final LongAdder slowEventClients = new LongAdder();

  /** Records one answered inference of {@code task} that took {@code micros} from queueing. */
  public void inference(String task, long micros) {
    latency.computeIfAbsent(task, t -> new LatencyHistogram()).record(micros);
  }

  /** Records one frame of {@code source} whose results came {@code micros} after it arrived. */
  public void sourceFrame(String source, long micros) {
    sourceLatency.computeIfAbsent(source, t -> new LatencyHistogram()).record(micros);
  }

  /** Records one backbone call serving {@code size} requests. */
  public void batch(int size) {
    batches.increment();
    batchedRequests.add(size);
  }

  /** Records a change of the active task. */
  public void swap() {
    swaps.increment();
  }

  /** Records a bundle installed (not one that was installed already). */
  public void install() {
    installs.increment();
  }

  /** Records a refused bundle by its {@code BundleException} code. */
  public void bundleRejected(String reason) {
    bundleRejections.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** Records an API request answered with an error {@code code}. */
  public void apiError(String code) {
    apiErrors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /** Records what the store check at start did, by kind (quarantined, damaged, active). */
  public void storeEvent(String kind) {
    storeEvents.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  /** Counts the open clients of {@code GET /v1/events} with {@code open}. */
  public void eventClients(LongSupplier open) {
    this.eventClients = open;
  }

  /** Records an events client disconnected because it read too slowly. */
  public void slowEventClient() {
    slowEventClients.increment();
  }

  /** Backbone calls so far. */
  public long batches() {
    return batches.sum();
  }

  /** Requests served by those calls. */
  public long batchedRequests() {
    return batchedRequests.sum();
  }

  /** Reads the queue depth and the resident bundle count from these suppliers when rendering. */
  public void gauges(LongSupplier queueDepth, LongSupplier residentBundles) {
    this.queueDepth = queueDepth;
    this.residentBundles = residentBundles;
  }

  /** Reads the pending trials and quarantined bundles from these suppliers when rendering. */
  public void trialGauges(LongSupplier trialsPending, LongSupplier quarantined) {
    this.trialsPending = trialsPending;
    this.quarantined = quarantined;
  }

  /** Adds the update client's counters (checks, installs, refusals by reason) to the output. */
  public void updates(Supplier<UpdateStatus> status) {
    this.updates = status;
  }

  /** Adds the frame sources' counters (frames, drops, failures, reconnects) to the output. */
  public void sources(Supplier<List<SourceStatus>> statuses) {
    this.sources = statuses;
  }

  /** All metrics in the Prometheus text format. */
  public String render() {
    StringBuilder out = new StringBuilder(4096);
    header(
        out,
        "promptedge_inference_latency_seconds",
        "histogram",
        "Time from queueing to result, per task.");
    for (Map.Entry<String, LatencyHistogram> e : new TreeMap<>(latency).entrySet()) {
      e.getValue()
          .write(
              out, "promptedge_inference_latency_seconds", "task=\"" + escape(e.getKey()) + "\"");
    }
    counter(out, "promptedge_task_swaps_total", "Changes of the active task.", swaps.sum());
    counter(out, "promptedge_bundle_installs_total", "Bundles installed.", installs.sum());
    labelled(
        out,
        "promptedge_bundle_rejections_total",
        "Bundles refused, by reason.",
        "reason",
        bundleRejections);
    labelled(
        out,
        "promptedge_api_errors_total",
        "API requests answered with an error, by code.",
        "code",
        apiErrors);
    counter(out, "promptedge_backbone_batches_total", "Backbone calls.", batches.sum());
    counter(
        out,
        "promptedge_batched_requests_total",
        "Requests served by backbone calls.",
        batchedRequests.sum());
    gauge(
        out,
        "promptedge_queue_depth",
        "Requests waiting for the inference worker.",
        queueDepth.getAsLong());
    gauge(
        out,
        "promptedge_resident_bundles",
        "Bundles whose prompt and head are in memory.",
        residentBundles.getAsLong());
    labelled(
        out,
        "promptedge_store_events_total",
        "What the store check at start did, by kind: quarantined (a bundle on trial when the"
            + " daemon died), damaged (a file that failed its checks), active (a fallback).",
        "kind",
        storeEvents);
    gauge(
        out,
        "promptedge_trials_pending",
        "Newly installed bundles on trial (not committed yet).",
        trialsPending.getAsLong());
    gauge(
        out,
        "promptedge_quarantined_bundles",
        "Bundles in quarantine, refused by uploads and updates.",
        quarantined.getAsLong());
    SourceMetrics.write(out, sources.get());
    gauge(
        out,
        "promptedge_event_clients",
        "Open streams of GET /v1/events.",
        eventClients.getAsLong());
    counter(
        out,
        "promptedge_event_clients_slow_total",
        "Streams of GET /v1/events closed because their client read too slowly.",
        slowEventClients.sum());
    header(
        out,
        "promptedge_source_latency_seconds",
        "histogram",
        "Time from a frame's arrival to its results, per source (millisecond resolution).");
    for (Map.Entry<String, LatencyHistogram> e : new TreeMap<>(sourceLatency).entrySet()) {
      e.getValue()
          .write(out, "promptedge_source_latency_seconds", "source=\"" + escape(e.getKey()) + "\"");
    }
    Supplier<UpdateStatus> update = updates;
    if (update != null) {
      UpdateStatus status = update.get();
      counter(out, "promptedge_update_checks_total", "Update checks run.", status.checks());
      counter(
          out,
          "promptedge_update_installs_total",
          "Bundles installed over the air (each also counted once in"
              + " promptedge_bundle_installs_total).",
          status.installs());
      header(
          out,
          "promptedge_update_rejections_total",
          "counter",
          "Update refusals by reason (metadata, download or bundle checks).");
      for (Map.Entry<String, Long> e : new TreeMap<>(status.rejections()).entrySet()) {
        out.append("promptedge_update_rejections_total{reason=\"")
            .append(escape(e.getKey()))
            .append("\"} ")
            .append(e.getValue())
            .append('\n');
      }
    }
    return out.toString();
  }

  static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    header(out, name, "counter", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    header(out, name, "gauge", help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(
      StringBuilder out, String name, String help, String label, Map<String, LongAdder> values) {
    header(out, name, "counter", help);
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
      out.append(name)
          .append('{')
          .append(label)
          .append("=\"")
          .append(escape(e.getKey()))
          .append("\"} ")
          .append(e.getValue().sum())
          .append('\n');
    }
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  static String number(double value) {
    return String.format(Locale.ROOT, "%s", value);
  }
}
