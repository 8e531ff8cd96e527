package dev.promptedge.tools.e2e;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.DownloadLimits;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.ota.UpdateListener;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A stand-in for the daemon's update path, run in a child JVM that the crash test SIGKILLs: opens
 * the backbone, the engine over the store and an update client, prints "ready", runs one check.
 * Arguments: card, store directory, channel URL, pinned key id, pinned key (base64).
 */
public final class OtaCrashChild {

  private OtaCrashChild() {}

  public static void main(String[] args) throws Exception {
    CardFile card = CardFile.read(Path.of(args[0]));
    TrustedKey key = TrustedKey.newBuilder().setKeyId(args[3]).setPublicKeyBase64(args[4]).build();
    try (Backbone backbone = Backbone.open(card, false, MicroSetup.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(Path.of(args[1])),
                new EngineSettings(
                    MicroSetup.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20));
        UpdateClient client =
            UpdateClient.open(
                new UpdateOptions(
                    URI.create(args[2]),
                    List.of(key),
                    OtaFixture.BOARD,
                    Duration.ofHours(1),
                    Duration.ZERO,
                    DownloadLimits.defaults(1 << 20),
                    Clock.fixed(OtaFixture.START, java.time.ZoneOffset.UTC),
                    UpdateOptions.DEFAULT_MAX_CLOCK_AHEAD),
                engine,
                UpdateListener.NONE)) {
      System.out.println("ready");
      System.out.flush();
      CheckResult result = client.checkOnce();
      System.out.println("done " + result.ok() + " " + result.message());
    }
  }
}
