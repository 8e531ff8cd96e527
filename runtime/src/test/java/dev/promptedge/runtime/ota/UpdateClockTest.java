package dev.promptedge.runtime.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.OtaDevice;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Clock poisoning: a validly signed timestamp dated ten years ahead ({@code
 * updates/timestamp-ten-years-ahead}) must not raise the device's time floor (else every later
 * update is "expired", across restarts), and a device whose floor was raised so recovers through a
 * root rotation.
 */
class UpdateClockTest extends ServingShapesV1 {

  @Test
  void aTimestampSignedTenYearsAheadIsRefusedAndThePublishersNextOneInstalls() throws Exception {
    f.lay("timestamp-ten-years-ahead");
    CheckResult poisoned = f.check();
    f.assertRefused(poisoned, "clock_ahead", "shapes", 1);
    assertTrue(poisoned.message().contains("updates.max_clock_ahead_seconds"), poisoned.message());
    assertTrue(
        timeFloor().isBefore(OtaDevice.publishedAt().plus(Duration.ofDays(1))), "floor kept");

    f.restart(); // across a restart too
    f.lay("v2");
    CheckResult next = f.check();
    assertTrue(next.ok(), next.message());
    f.assertServing("shapes", 2);
  }

  @Test
  void aDeviceWhoseFloorWasPoisonedRecoversThroughARootRotation() throws Exception {
    // A client that tolerated any future time (as before) took the poisoned timestamp.
    f.restart(Duration.ofDays(100 * 365));
    f.lay("timestamp-ten-years-ahead");
    assertTrue(f.check().ok(), "the poisoned timestamp was taken");
    assertTrue(timeFloor().isAfter(OtaDevice.publishedAt().plus(Duration.ofDays(3000))));

    f.restart();
    f.lay("v2");
    f.assertRefused(f.check(), "expired", "shapes", 1);

    f.lay("rotated-roots");
    CheckResult r = f.check();
    assertTrue(r.ok(), r.message());
    f.assertServing("shapes", 2);
    assertEquals(f.clock.instant(), timeFloor(), "the new root reset the floor to the clock");
  }

  private Instant timeFloor() throws Exception {
    return Instant.ofEpochSecond(f.state().getTimeFloorEpochSeconds());
  }
}
