package dev.promptedge.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Latencies of one source's {@code /v1/events} stream: for each {@code event: frame}, the time from
 * its frame leaving the camera (looked up by sequence number) to the event's data line being read,
 * with the backbone call and the other stages the event reports.
 */
record EventLatencies(List<Double> millis, List<Double> backbone, List<double[]> stages) {

  private static final Pattern SEQUENCE = Pattern.compile("\"sequence\":\"(\\d+)\"");
  private static final Pattern TIMINGS =
      Pattern.compile(
          "\"decodeUs\":\"(\\d+)\",\"backboneUs\":\"(\\d+)\",\"headUs\":\"(\\d+)\","
              + "\"postprocessUs\":\"(\\d+)\"");

  /**
   * Reads the stream for {@code seconds} after a warm-up of a fifth of that (at least 3 s); events
   * of frames the camera did not time, or before any task ran, are left out.
   */
  static EventLatencies read(HttpClient http, URI events, int seconds, LongFunction<Long> sentNanos)
      throws IOException, InterruptedException {
    List<Double> millis = new ArrayList<>();
    List<Double> backbone = new ArrayList<>();
    List<double[]> stages = new ArrayList<>();
    long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(3, seconds / 5));
    long end = warm + TimeUnit.SECONDS.toNanos(seconds);
    HttpResponse<Stream<String>> response =
        http.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(events + " answered " + response.statusCode());
    }
    try (Stream<String> lines = response.body()) {
      var it = lines.iterator();
      while (System.nanoTime() < end && it.hasNext()) {
        String line = it.next();
        long now = System.nanoTime();
        if (!line.startsWith("data: ") || now < warm) {
          continue;
        }
        Matcher seq = SEQUENCE.matcher(line);
        Matcher t = TIMINGS.matcher(line);
        if (!seq.find() || !t.find()) {
          continue;
        }
        Long sent = sentNanos.apply(Long.parseLong(seq.group(1)));
        if (sent == null) {
          continue;
        }
        double[] ms = new double[4];
        ms[1] = Long.parseLong(t.group(2)) / 1e3;
        ms[0] = Long.parseLong(t.group(1)) / 1e3;
        do {
          ms[2] += Long.parseLong(t.group(3)) / 1e3;
          ms[3] += Long.parseLong(t.group(4)) / 1e3;
        } while (t.find());
        millis.add((now - sent) / 1e6);
        backbone.add(ms[1]);
        stages.add(ms);
      }
    }
    if (millis.isEmpty()) {
      throw new IllegalStateException("no timed events from " + events);
    }
    return new EventLatencies(millis, backbone, stages);
  }

  double p50() {
    return percentile(millis, 0.5);
  }

  double p99() {
    return percentile(millis, 0.99);
  }

  /** Median backbone call, in milliseconds. */
  double backboneMillis() {
    return percentile(backbone, 0.5);
  }

  /**
   * Median milliseconds per frame of preprocessing (the events' decodeUs), backbone, heads and
   * post-processing.
   */
  double[] stageMillis() {
    double[] medians = new double[4];
    for (int k = 0; k < 4; k++) {
      int stage = k;
      medians[k] = percentile(stages.stream().map(s -> s[stage]).toList(), 0.5);
    }
    return medians;
  }

  static double percentile(List<Double> values, double p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return sorted[(int) Math.round(p * (sorted.length - 1))];
  }
}
