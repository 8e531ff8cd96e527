package dev.promptedge.runtime.daemon.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void aReservationHoldsWhatItGrewUntilClosed() {
    MemoryBudget budget = new MemoryBudget(1 << 20, 0);
    try (MemoryBudget.Reservation r = budget.reserve()) {
      assertTrue(r.tryGrow(300_000));
      assertTrue(r.tryGrow(300_000));
      assertEquals((1 << 20) - r.bytes(), budget.available());
      assertFalse(r.tryGrow(600_000), "over what is left");
      assertEquals(2 * 293 * 1024, r.bytes(), "counted in KiB, rounded up");
    }
    assertEquals(1 << 20, budget.available());
  }

  @Test
  void moreThanTheWholeBudgetIsRefusedAtOnceWithoutWaiting() {
    MemoryBudget budget = new MemoryBudget(1 << 20, 60_000);
    try (MemoryBudget.Reservation r = budget.reserve()) {
      assertFalse(r.couldFit((1 << 20) + 1));
      long start = System.nanoTime();
      assertFalse(r.tryGrow((1 << 20) + 1));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), "did not wait");
    }
  }

  @Test
  void aWaitingRequestGetsTheRoomAnotherGivesBack() throws Exception {
    MemoryBudget budget = new MemoryBudget(1 << 20, 30_000);
    MemoryBudget.Reservation first = budget.reserve();
    assertTrue(first.tryGrow(1 << 20));
    CompletableFuture<Boolean> second =
        CompletableFuture.supplyAsync(
            () -> {
              try (MemoryBudget.Reservation r = budget.reserve()) {
                return r.tryGrow(1 << 19);
              }
            });
    Thread.sleep(100);
    assertFalse(second.isDone(), "waits while the budget is full");
    first.close();
    first.close(); // idempotent: gives back once
    assertTrue(second.get(30, TimeUnit.SECONDS));
    assertEquals(1 << 20, budget.available());
    assertThrows(IllegalStateException.class, () -> first.tryGrow(1));
  }

  @Test
  void aBudgetThatRunsOutOfTimeRefuses() {
    MemoryBudget budget = new MemoryBudget(1 << 20, 50);
    try (MemoryBudget.Reservation a = budget.reserve();
        MemoryBudget.Reservation b = budget.reserve()) {
      assertTrue(a.tryGrow(1 << 20));
      assertFalse(b.tryGrow(1));
      assertEquals(0, b.bytes());
    }
  }
}
