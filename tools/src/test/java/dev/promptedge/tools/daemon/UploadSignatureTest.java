package dev.promptedge.tools.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.error;
import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.ApiError;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.Daemon;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.pack.SelfTestImages;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/bundles} on a daemon whose profile pins a publisher key: a bundle signed by that
 * key installs; unsigned, signed by an unknown key, one flipped byte, or a signature moved onto
 * other bytes is refused with 403 and its code, and the active task keeps serving.
 */
class UploadSignatureTest {

  @TempDir Path dir;

  private MicroSetup setup;
  private SigningKey publisher;
  private SigningKey stranger;
  private Daemon daemon;
  private ApiClient api;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    publisher = KeyFiles.generate(dir.resolve("keys"), "publisher");
    stranger = KeyFiles.generate(dir.resolve("keys"), "stranger");
  }

  private void start(List<SigningKey> pinned, int threshold) {
    Path profile;
    try {
      profile =
          TestProfiles.write(
              dir.resolve("profile.textproto"),
              setup.card,
              dir.resolve("store"),
              "",
              0,
              pinned.stream().map(SigningKey::trustedKey).toList(),
              threshold);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    daemon =
        Daemon.start(
            DeviceProfile.read(profile),
            new DaemonLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
    api = new ApiClient(daemon.address().getPort(), null);
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void onlyBundlesSignedByAPinnedKeyInstall() throws Exception {
    start(List.of(publisher), 0);
    assertTrue(
        daemon.readyLine().contains("uploads need 1 signature(s) by the 1 pinned key(s)"),
        daemon.readyLine());
    byte[] v1 = Signer.bundle(setup.detection("detect", 1, 1).bundle().toBytes(), publisher);
    HttpResponse<byte[]> r = api.post("/v1/bundles", v1);
    assertEquals(201, r.statusCode(), text(r));
    assertServing("detect", 1);

    byte[] v2 = setup.detection("detect", 2, 2).bundle().toBytes();
    byte[] signedV2 = Signer.bundle(v2, publisher);
    refused(v2, "unsigned", "promptedge bundle sign --key");
    refused(Signer.bundle(v2, stranger), "signature", "0 valid signature(s)");
    refused(flipOneByteOfThePayload(signedV2), "signature", "1 invalid");
    byte[] other = setup.segmentation("segment", 1, 3).bundle().toBytes();
    refused(moveSignatures(signedV2, other), "signature", "1 invalid");
    // A stranger's signature next to a trusted one is ignored, not fatal.
    r = api.post("/v1/bundles", Signer.bundle(signedV2, stranger));
    assertEquals(201, r.statusCode(), text(r));
    assertServing("detect", 2);
    String metrics = text(api.get("/metrics"));
    assertTrue(metrics.contains("promptedge_bundle_rejections_total{reason=\"signature\"} 3"));
    assertTrue(metrics.contains("promptedge_bundle_rejections_total{reason=\"unsigned\"} 1"));
    assertTrue(metrics.contains("promptedge_bundle_installs_total 2\n"), metrics);
  }

  @Test
  void aThresholdCountsDistinctKeysOnce() throws Exception {
    start(List.of(publisher, stranger), 2);
    byte[] v1 = setup.detection("detect", 1, 1).bundle().toBytes();
    byte[] once = Signer.bundle(v1, publisher);
    SignedBundle e = SignedBundle.parseFrom(once);
    byte[] twiceBySameKey = e.toBuilder().addSignatures(e.getSignatures(0)).build().toByteArray();
    HttpResponse<byte[]> r = api.post("/v1/bundles", twiceBySameKey);
    assertEquals(403, r.statusCode(), text(r));
    assertTrue(error(r).getMessage().contains("1 valid signature(s)"), text(r));
    r = api.post("/v1/bundles", Signer.bundle(once, stranger));
    assertEquals(201, r.statusCode(), text(r));
    assertServing("detect", 1);
  }

  @Test
  void withoutPinnedKeysALoopbackDaemonTakesUnsignedUploadsAndSaysSo() throws Exception {
    start(List.of(), 0);
    assertTrue(daemon.readyLine().contains("uploads UNSIGNED accepted"), daemon.readyLine());
    HttpResponse<byte[]> r =
        api.post("/v1/bundles", setup.detection("detect", 1, 1).bundle().toBytes());
    assertEquals(201, r.statusCode(), text(r));
  }

  private void refused(byte[] bytes, String code, String inMessage) throws Exception {
    HttpResponse<byte[]> r = api.post("/v1/bundles", bytes);
    assertEquals(403, r.statusCode(), text(r));
    ApiError e = error(r);
    assertEquals(code, e.getCode(), e.getMessage());
    assertTrue(e.getMessage().contains(inMessage), e.getMessage());
    assertTrue(e.getMessage().contains("promptedge bundle sign --key"), e.getMessage());
    assertServing("detect", 1);
  }

  private void assertServing(String task, long version) throws Exception {
    TaskList tasks = ProtoJson.merge(text(api.get("/v1/tasks")), TaskList.newBuilder()).build();
    assertEquals(task, tasks.getActive());
    HttpResponse<byte[]> r = api.post("/v1/infer", SelfTestImages.syntheticPng(64, 48, 1));
    assertEquals(200, r.statusCode(), text(r));
    InferResponse answer = ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
    assertEquals(task, answer.getBundleName());
    assertEquals(version, answer.getBundleVersion());
  }

  /** The file with one bit flipped in the middle of the signed payload. */
  private static byte[] flipOneByteOfThePayload(byte[] file) throws Exception {
    byte[] payload = SignedBundle.parseFrom(file).getBundle().toByteArray();
    int at = indexOf(file, payload) + payload.length / 2;
    byte[] copy = file.clone();
    copy[at] ^= 0x01;
    return copy;
  }

  /** {@code other}'s bytes carrying {@code signed}'s signatures. */
  private static byte[] moveSignatures(byte[] signed, byte[] other) throws Exception {
    return SignedBundle.newBuilder()
        .setFormatVersion(1)
        .setBundle(ByteString.copyFrom(SignedBundle.parseFrom(other).getBundle().toByteArray()))
        .addAllSignatures(SignedBundle.parseFrom(signed).getSignaturesList())
        .build()
        .toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("payload not found in the file");
  }
}
