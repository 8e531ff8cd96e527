package dev.promptedge.runtime.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.error;
import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Health;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.InstallResponse;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.format.TaskKind;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.json.ProtoJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon as a separate JVM on loopback: every endpoint, the bad inputs, mixed tasks at
 * once, back-pressure, SIGKILL mid-traffic and a restart that finds the same active task and every
 * bundle intact, then SIGTERM with requests in flight.
 */
class DaemonProcessTest {

  private static final String TOKEN = "test-token-3f9a";
  private static final List<String> TASKS = MicroFixtures.THREE_TASKS;

  @TempDir Path dir;

  private final byte[] png = MicroFixtures.png(64, 48, 1);

  @Test
  void servesRefusesBadInputSurvivesSigkillAndDrainsOnSigterm() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    Map<String, byte[]> bundles = MicroFixtures.threeTasks();
    byte[] foreign = MicroFixtures.otherBackboneDetection("foreign", 1, 4).toBytes();
    byte[] classifyV2 = MicroFixtures.classification("classify", 2, 5).toBytes();
    Path store = dir.resolve("store");
    Path profile = writeProfile(card, store);

    String activeBeforeKill;
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-1.txt"))) {
      long rssAtRest = daemon.rssKib();
      ApiClient api = new ApiClient(daemon.port, TOKEN);

      HttpResponse<byte[]> r = new ApiClient(daemon.port, null).get("/v1/health");
      assertEquals(401, r.statusCode());
      assertEquals("unauthorized", error(r).getCode());
      assertEquals(
          401,
          new ApiClient(daemon.port, "wrong")
              .post("/v1/bundles", bundles.get("detect"))
              .statusCode());
      assertEquals("ok", health(api).getStatus());

      r = api.post("/v1/infer", png);
      assertEquals(409, r.statusCode(), text(r));
      assertEquals("no_active_task", error(r).getCode());

      for (String task : TASKS) {
        r = api.post("/v1/bundles", bundles.get(task));
        assertEquals(201, r.statusCode(), text(r));
        InstallResponse installed = ProtoJson.merge(text(r), InstallResponse.newBuilder()).build();
        assertEquals(task, installed.getName());
        assertEquals(task.equals("detect"), installed.getActive());
      }
      r = api.post("/v1/bundles", bundles.get("detect"));
      assertEquals(200, r.statusCode(), "the same bundle again is a no-op");
      assertTrue(ProtoJson.merge(text(r), InstallResponse.newBuilder()).getUnchanged());

      TaskList tasks = tasks(api);
      assertEquals("detect", tasks.getActive());
      assertEquals(
          Set.of("detect", "segment", "classify"),
          tasks.getTasksList().stream().map(TaskInfo::getName).collect(Collectors.toSet()));

      checkInference(api);
      checkBadInputs(api, foreign);

      r = api.put("/v1/tasks/active", "{\"name\": \"segment\"}");
      assertEquals(200, r.statusCode(), text(r));
      assertEquals("segment", ProtoJson.merge(text(r), TaskList.newBuilder()).getActive());
      r = api.delete("/v1/bundles/segment");
      assertEquals(409, r.statusCode());
      assertEquals("task_active", error(r).getCode());

      concurrentMixedTasks(api);
      assertTrue(floodUntil429(api), "a flood never filled the queue of 4");
      checkMetrics(api);
      long rssAfterTraffic = daemon.rssKib();

      activeBeforeKill = killMidTraffic(daemon, api, classifyV2);
      System.out.printf(
          "promptedged: %s%n  start-to-ready %d ms; RSS at rest %d KiB, after traffic %d KiB%n",
          daemon.readyLine, daemon.startMillis, rssAtRest, rssAfterTraffic);
      assertEquals(1, count(daemon.stderrText(), "GPIO off"), daemon.stderrText());
    }

    for (String task : TASKS) {
      byte[] stored = Files.readAllBytes(store.resolve(task + ".bundle"));
      long version = BundleReader.parse(stored, Long.MAX_VALUE).version();
      assertTrue(
          Arrays.equals(stored, bundles.get(task)) || Arrays.equals(stored, classifyV2),
          task + " v" + version + " was damaged by SIGKILL");
    }

    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr-2.txt"))) {
      assertTrue(
          daemon.readyLine.contains("active task " + activeBeforeKill + ", 3 installed"),
          daemon.stderrText());
      ApiClient api = new ApiClient(daemon.port, TOKEN);
      assertEquals(activeBeforeKill, tasks(api).getActive());
      for (String task : TASKS) {
        InferResponse result = infer(api, "/v1/infer?task=" + task);
        assertEquals(task, result.getBundleName());
      }
      sigtermWithRequestsInFlight(daemon, api);
      assertEquals(
          activeBeforeKill,
          Files.readString(store.resolve("ACTIVE"), StandardCharsets.UTF_8).strip());
    }
  }

  private Path writeProfile(CardFile card, Path store) throws IOException {
    return TestProfiles.withApi(
        dir.resolve("test.textproto"),
        card,
        store,
        TOKEN,
        "max_body_bytes: 262144 max_pixels: 40000 max_batch: 4 max_wait_ms: 20 queue_capacity: 4"
            // The floods below use 32 connections of one loopback address at once.
            + " max_connections_per_client: 64",
        "gpio { enabled: true provider: \"gpiod\" button_pin: 17 status_led_pin: 27 }");
  }

  private void checkInference(ApiClient api) throws Exception {
    InferResponse detect = infer(api, "/v1/infer");
    assertEquals("detect", detect.getBundleName());
    assertEquals(1, detect.getBundleVersion());
    assertEquals(TaskKind.DETECTION, detect.getTask());
    assertEquals(64, detect.getImageWidth());
    assertEquals(48, detect.getImageHeight());
    assertTrue(detect.getTimings().getTotalUs() >= detect.getTimings().getBackboneUs());
    assertTrue(detect.getTimings().getBackboneUs() > 0);

    HttpResponse<byte[]> r =
        api.send(
            api.request("/v1/infer?task=segment")
                .header("Accept", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)));
    assertEquals(200, r.statusCode());
    assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElseThrow());
    InferResponse segment = InferResponse.parseFrom(r.body());
    assertEquals("segment", segment.getBundleName());
    BufferedImage mask =
        ImageIO.read(
            new ByteArrayInputStream(segment.getSegmentation().getMaskPng().toByteArray()));
    assertEquals(64, mask.getWidth());
    assertEquals(48, mask.getHeight());
    assertEquals(
        64 * 48, segment.getSegmentation().getClassPixelsList().stream().mapToLong(l -> l).sum());

    InferResponse classify = infer(api, "/v1/infer?task=classify");
    assertEquals(TaskKind.CLASSIFICATION, classify.getTask());
    assertFalse(classify.getClassesList().isEmpty());
  }

  private void checkBadInputs(ApiClient api, byte[] foreignBundle) throws Exception {
    byte[] jpeg = jpeg(MicroFixtures.image(64, 48, 2));
    byte[] random = new byte[300_000];
    new Random(1).nextBytes(random);
    List<Object[]> cases =
        List.of(
            new Object[] {"POST", "/v1/infer", random, 413, "body_too_large"},
            new Object[] {
              "POST", "/v1/infer", MicroFixtures.png(300, 200, 3), 413, "image_too_large"
            },
            new Object[] {"POST", "/v1/infer", Arrays.copyOf(png, png.length / 2), 400, null},
            new Object[] {"POST", "/v1/infer", Arrays.copyOf(jpeg, jpeg.length / 2), 400, null},
            new Object[] {
              "POST",
              "/v1/infer",
              "hello".getBytes(StandardCharsets.UTF_8),
              400,
              "image_undecodable"
            },
            new Object[] {"POST", "/v1/infer", new byte[0], 400, "image_undecodable"},
            new Object[] {"POST", "/v1/infer?task=nope", png, 404, "unknown_task"},
            new Object[] {
              "POST", "/v1/bundles", "garbage".getBytes(StandardCharsets.UTF_8), 400, "corrupt"
            },
            new Object[] {
              "POST",
              "/v1/bundles",
              Arrays.copyOf(foreignBundle, foreignBundle.length / 3),
              400,
              "corrupt"
            },
            new Object[] {"POST", "/v1/bundles", foreignBundle, 422, "wrong_backbone"},
            new Object[] {"PUT", "/v1/tasks/active", "{\"name\": \"nope\"}", 404, "unknown_task"},
            new Object[] {"PUT", "/v1/tasks/active", "{\"name\": ", 400, "bad_request"},
            new Object[] {"PUT", "/v1/tasks/active", "{\"nam\": \"detect\"}", 400, "bad_request"},
            new Object[] {"DELETE", "/v1/bundles/nope", null, 404, "unknown_task"},
            new Object[] {"DELETE", "/v1/bundles/..%2Fstore", null, 400, "bad_name"},
            new Object[] {"GET", "/v1/nope", null, 404, "not_found"},
            new Object[] {"DELETE", "/v1/tasks", null, 405, "method_not_allowed"});
    for (Object[] c : cases) {
      String method = (String) c[0];
      String path = (String) c[1];
      HttpResponse<byte[]> r;
      if (method.equals("POST")) {
        r = api.post(path, (byte[]) c[2]);
      } else if (method.equals("PUT")) {
        r = api.put(path, (String) c[2]);
      } else if (method.equals("DELETE")) {
        r = api.delete(path);
      } else {
        r = api.get(path);
      }
      String what = method + " " + path + " -> " + r.statusCode() + " " + text(r);
      assertEquals(c[3], r.statusCode(), what);
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      String code = error(r).getCode();
      if (c[4] != null) {
        assertEquals(c[4], code, what);
      }
      assertEquals("detect", tasks(api).getActive(), "after " + what);
    }
    assertEquals("ok", health(api).getStatus());
    assertEquals("detect", infer(api, "/v1/infer").getBundleName());
  }

  private void concurrentMixedTasks(ApiClient api) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < 36; i++) {
        String task = TASKS.get(i % 3);
        answers.add(
            pool.submit(
                () -> {
                  for (int attempt = 0; attempt < 200; attempt++) {
                    HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, png);
                    if (r.statusCode() == 200) {
                      return ProtoJson.merge(text(r), InferResponse.newBuilder()).getBundleName();
                    }
                    assertEquals(429, r.statusCode(), text(r));
                    Thread.sleep(10);
                  }
                  throw new AssertionError("never served");
                }));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertEquals(TASKS.get(i % 3), answers.get(i).get(60, TimeUnit.SECONDS), "request " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private boolean floodUntil429(ApiClient api) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      for (int round = 0; round < 5; round++) {
        List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
          answers.add(pool.submit(() -> api.post("/v1/infer", png)));
        }
        boolean refused = false;
        for (Future<HttpResponse<byte[]>> f : answers) {
          HttpResponse<byte[]> r = f.get(60, TimeUnit.SECONDS);
          if (r.statusCode() == 429) {
            refused = true;
            assertEquals("queue_full", error(r).getCode());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
          } else {
            assertEquals(200, r.statusCode(), text(r));
          }
        }
        if (refused) {
          return true;
        }
      }
      return false;
    } finally {
      pool.shutdownNow();
    }
  }

  private void checkMetrics(ApiClient api) throws Exception {
    HttpResponse<byte[]> r = api.get("/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String m = text(r);
    for (String task : TASKS) {
      assertTrue(
          m.contains(
              "promptedge_inference_latency_seconds_bucket{task=\"" + task + "\",le=\"+Inf\"}"),
          task);
    }
    assertTrue(m.contains("# TYPE promptedge_inference_latency_seconds histogram"));
    assertTrue(m.contains("promptedge_bundle_installs_total 3\n"), m);
    assertTrue(m.contains("promptedge_bundle_rejections_total{reason=\"corrupt\"} 2\n"), m);
    assertTrue(m.contains("promptedge_bundle_rejections_total{reason=\"wrong_backbone\"} 1\n"), m);
    assertTrue(m.contains("promptedge_task_swaps_total 2\n"), m);
    assertTrue(m.contains("promptedge_queue_depth 0\n"), m);
    assertTrue(m.contains("promptedge_resident_bundles 3\n"), m);
    assertTrue(m.contains("promptedge_api_errors_total{code=\"queue_full\"}"), m);
    long batches = metric(m, "promptedge_backbone_batches_total");
    long served = metric(m, "promptedge_batched_requests_total");
    assertTrue(served > batches, "no backbone call served more than one request: " + m);
  }

  /** Traffic on all tasks, an activation and an install; SIGKILL in the middle of it. */
  private String killMidTraffic(DaemonProcess daemon, ApiClient api, byte[] classifyV2)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger served = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(7);
    try {
      for (int i = 0; i < 6; i++) {
        String task = TASKS.get(i % 3);
        pool.submit(
            () -> {
              while (!stop.get()) {
                try {
                  if (api.post("/v1/infer?task=" + task, png).statusCode() == 200) {
                    served.incrementAndGet();
                  }
                } catch (IOException e) {
                  return null;
                }
              }
              return null;
            });
      }
      Thread.sleep(200);
      HttpResponse<byte[]> r = api.put("/v1/tasks/active", "{\"name\": \"classify\"}");
      assertEquals(200, r.statusCode(), text(r));
      Future<?> install = pool.submit(() -> api.post("/v1/bundles", classifyV2));
      Thread.sleep(30);
      assertTrue(served.get() > 0, "no traffic before the kill");
      assertEquals(137, daemon.kill(), "killed by SIGKILL");
      try {
        install.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // The install may have been cut off by the kill; the store must be intact either way.
      }
      return "classify";
    } finally {
      stop.set(true);
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void sigtermWithRequestsInFlight(DaemonProcess daemon, ApiClient api) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String task = TASKS.get(i % 3);
        answers.add(
            pool.submit(
                () -> {
                  try {
                    return api.post("/v1/infer?task=" + task, png).statusCode();
                  } catch (IOException e) {
                    return -1; // refused: the daemon had stopped listening
                  }
                }));
      }
      // SIGTERM once the daemon is answering, so that the other requests are in flight.
      awaitFirstAnswer(answers);
      assertEquals(143, daemon.stop(), "stopped by SIGTERM");
      String log = daemon.stderrText();
      int ok = 0;
      for (Future<Integer> f : answers) {
        int status = f.get(20, TimeUnit.SECONDS);
        // 200 served, 503 stopping, 429 the queue (capacity 4) was full, -1 no longer listening.
        assertTrue(
            Set.of(200, 503, 429, -1).contains(status),
            () -> "status " + status + "; daemon log:\n" + log);
        ok += status == 200 ? 1 : 0;
      }
      assertTrue(ok > 0, "no request in flight was answered");
      assertTrue(log.contains("stopping: draining the queue"), log);
      assertTrue(log.contains("' persisted"), log);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitFirstAnswer(List<Future<Integer>> answers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (answers.stream().noneMatch(Future::isDone)) {
      assertTrue(System.nanoTime() < deadline, "no request was answered before SIGTERM");
      Thread.sleep(1);
    }
  }

  private static InferResponse infer(ApiClient api, String path) throws Exception {
    HttpResponse<byte[]> r = api.post(path, MicroFixtures.png(64, 48, 1));
    assertEquals(200, r.statusCode(), text(r));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
  }

  private static TaskList tasks(ApiClient api) throws Exception {
    HttpResponse<byte[]> r = api.get("/v1/tasks");
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), TaskList.newBuilder()).build();
  }

  private static Health health(ApiClient api) throws Exception {
    HttpResponse<byte[]> r = api.get("/v1/health");
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), Health.newBuilder()).build();
  }

  private static long metric(String metrics, String name) {
    String line =
        Stream.of(metrics.split("\n"))
            .filter(l -> l.startsWith(name + " "))
            .findFirst()
            .orElse(null);
    assertNotNull(line, name);
    return Long.parseLong(line.substring(name.length() + 1).trim());
  }

  private static int count(String text, String needle) {
    return text.split(needle, -1).length - 1;
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }
}
