package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Role;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Timestamp;
import dev.promptedge.format.UpdateClientState;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.Signer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clock poisoning: a validly signed timestamp dated ten years ahead must not raise the device's
 * time floor (else every later update is "expired", across restarts), and a device whose floor was
 * raised so recovers through a root rotation.
 */
class OtaClockTest {

  private static final Duration TEN_YEARS = Duration.ofDays(3653);

  @TempDir Path dir;
  private OtaFixture f;

  @BeforeEach
  void setUp() throws Exception {
    f = new OtaFixture(dir);
    f.publish("shapes", 1, 1);
    CheckResult first = f.check();
    assertTrue(first.ok(), first.message());
    f.assertServing("shapes", 1);
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void aTimestampSignedTenYearsAheadIsRefusedAndThePublishersNextOneInstalls() throws Exception {
    writeFutureTimestamp();
    CheckResult poisoned = f.check();
    f.assertRefused(poisoned, "clock_ahead", "shapes", 1);
    assertTrue(poisoned.message().contains("updates.max_clock_ahead_seconds"), poisoned.message());
    assertTrue(timeFloor().isBefore(OtaFixture.START.plus(Duration.ofDays(1))), "floor kept");

    f.newClient(); // across a restart too
    f.publish("shapes", 2, 2);
    CheckResult next = f.check();
    assertTrue(next.ok(), next.message());
    f.assertServing("shapes", 2);
  }

  @Test
  void aDeviceWhoseFloorWasPoisonedRecoversThroughARootRotation() throws Exception {
    // A client that tolerated any future time (as before) took the poisoned timestamp.
    f.maxClockAhead = Duration.ofDays(100 * 365);
    f.newClient();
    writeFutureTimestamp();
    assertTrue(f.check().ok(), "the poisoned timestamp was taken");
    assertTrue(timeFloor().isAfter(OtaFixture.START.plus(Duration.ofDays(3000))));

    f.maxClockAhead = UpdateOptions.DEFAULT_MAX_CLOCK_AHEAD;
    f.newClient();
    f.publish("shapes", 2, 2);
    f.assertRefused(f.check(), "expired", "shapes", 1);

    f.publisher.rotateRoot(
        Map.of(Role.ROOT, new RepoPublisher.RoleKeyFiles(List.of(f.key("root2")), 1)));
    f.publisher.publish();
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    f.assertServing("shapes", 2);
    assertEquals(OtaFixture.START, timeFloor(), "the new root reset the floor to the clock");
  }

  /** The current timestamp re-signed with the real timestamp key, issued ten years ahead. */
  private void writeFutureTimestamp() throws Exception {
    Timestamp t =
        Timestamp.parseFrom(
            SignedMetadata.parseFrom(f.read(RepositoryLayout.TIMESTAMP)).getPayload());
    long future = OtaFixture.START.plus(TEN_YEARS).getEpochSecond();
    Timestamp forged =
        t.toBuilder()
            .setVersion(t.getVersion() + 1)
            .setIssuedEpochSeconds(future)
            .setExpiresEpochSeconds(future + 86_400)
            .build();
    f.write(
        RepositoryLayout.TIMESTAMP, Signer.metadata(forged, f.publisher.signers(Role.TIMESTAMP)));
  }

  private Instant timeFloor() throws Exception {
    UpdateClientState state =
        UpdateClientState.parseFrom(Files.readAllBytes(f.dir.resolve("store/ota-state")));
    return Instant.ofEpochSecond(state.getTimeFloorEpochSeconds());
  }
}
