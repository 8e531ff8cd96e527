package dev.promptedge.runtime.task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundles held in memory, least recently used first, within a byte budget. The set owns one
 * reference to each bundle it holds. Thread-safe.
 */
final class ResidentSet {

  private final long budgetBytes;
  private final LinkedHashMap<String, ResidentBundle> bundles =
      new LinkedHashMap<>(16, 0.75f, true);
  private long usedBytes;

  ResidentSet(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** The resident bundle {@code name}, retained for the caller, or null when not resident. */
  synchronized ResidentBundle retain(String name) {
    ResidentBundle bundle = bundles.get(name);
    return bundle != null && bundle.retain() ? bundle : null;
  }

  /**
   * Adds {@code bundle} (replacing a resident bundle of the same name) and evicts least recently
   * used bundles other than it and {@code pinned} until the budget holds.
   */
  synchronized void add(ResidentBundle bundle, String pinned) {
    ResidentBundle previous = bundles.put(bundle.name(), bundle);
    usedBytes += bundle.residentBytes();
    if (previous != null) {
      usedBytes -= previous.residentBytes();
      previous.release();
    }
    Iterator<Map.Entry<String, ResidentBundle>> it = bundles.entrySet().iterator();
    while (usedBytes > budgetBytes && it.hasNext()) {
      ResidentBundle candidate = it.next().getValue();
      if (candidate == bundle || candidate.name().equals(pinned)) {
        continue;
      }
      it.remove();
      usedBytes -= candidate.residentBytes();
      candidate.release();
    }
  }

  /** Removes and releases bundle {@code name}, if resident. */
  synchronized void remove(String name) {
    ResidentBundle bundle = bundles.remove(name);
    if (bundle != null) {
      usedBytes -= bundle.residentBytes();
      bundle.release();
    }
  }

  synchronized boolean contains(String name) {
    return bundles.containsKey(name);
  }

  synchronized List<String> names() {
    return new ArrayList<>(bundles.keySet());
  }

  /** Releases every bundle. */
  synchronized void clear() {
    bundles.values().forEach(ResidentBundle::release);
    bundles.clear();
    usedBytes = 0;
  }
}
