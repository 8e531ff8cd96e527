package dev.promptedge.runtime.ota;

import dev.promptedge.format.TargetBundle;
import dev.promptedge.format.Targets;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleNames;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes the bundles of trusted targets metadata that are meant for this device and newer than what
 * it runs: download within the declared length, check length and hash, check the bundle against its
 * entry, then install through the {@link BundleInstaller} (backbone checks, self-test, atomic store
 * write). Not thread-safe.
 */
final class BundleUpdate {

  /** A refusal of one check; {@code counted} is false when it repeats an earlier one. */
  record Refusal(String code, String message, boolean counted) {}

  /** What one pass over the targets did. */
  record Applied(
      List<InstallResult> installed, List<CheckResult.Skipped> skipped, List<Refusal> refused) {}

  private final TaskEngine engine;
  private final BundleInstaller installer;
  private final Downloader downloader;
  private final DownloadLimits limits;
  private final String board;
  private final UpdateListener listener;

  /** Refusals that the same bytes would get again, by bundle SHA-256: not retried. */
  private final Map<String, Refusal> settled = new HashMap<>();

  BundleUpdate(
      TaskEngine engine,
      BundleInstaller installer,
      Downloader downloader,
      DownloadLimits limits,
      String board,
      UpdateListener listener) {
    this.engine = engine;
    this.installer = installer;
    this.downloader = downloader;
    this.limits = limits;
    this.board = board;
    this.listener = listener;
  }

  Applied apply(Targets targets) {
    List<InstallResult> installed = new ArrayList<>();
    List<CheckResult.Skipped> skipped = new ArrayList<>();
    List<Refusal> refused = new ArrayList<>();
    String backbone = engine.backbone().card().card().getFloatModel().getSha256();
    List<TargetBundle> entries = new ArrayList<>(targets.getBundlesList());
    entries.sort(Comparator.comparing(TargetBundle::getName));
    for (TargetBundle t : entries) {
      if (t.getCompatibleBoardsCount() > 0 && !t.getCompatibleBoardsList().contains(board)) {
        skipped.add(new CheckResult.Skipped(t.getName(), t.getVersion(), "wrong_board"));
        continue;
      }
      if (!t.getBackboneSha256().equals(backbone)) {
        skipped.add(new CheckResult.Skipped(t.getName(), t.getVersion(), "wrong_backbone"));
        continue;
      }
      Refusal earlier = settled.get(t.getSha256());
      if (earlier != null) {
        refused.add(new Refusal(earlier.code(), earlier.message(), false));
        continue;
      }
      try {
        install(t).ifPresent(installed::add);
      } catch (UpdateException e) {
        refused.add(new Refusal(e.code(), e.getMessage(), true));
      } catch (BundleException e) {
        Refusal refusal = new Refusal(e.code(), e.getMessage(), true);
        settled.put(t.getSha256(), refusal);
        refused.add(refusal);
      }
    }
    return new Applied(installed, skipped, refused);
  }

  private Optional<InstallResult> install(TargetBundle t) {
    BundleNames.check(t.getName(), "targets bundle name");
    BundleNames.checkVersion(t.getName(), t.getVersion());
    String who = "bundle '" + t.getName() + "' v" + t.getVersion();
    if (engine.alreadyInstalled(t.getName(), t.getVersion(), t.getSha256())) {
      return Optional.empty();
    }
    BundleReader.checkSize(who, t.getLength(), limits.maxBundleBytes());
    listener.installing(t.getName(), t.getVersion());
    byte[] bytes = downloader.fetch(t.getPath(), t.getLength());
    if (bytes.length != t.getLength() || !Sha256.hex(bytes).equals(t.getSha256())) {
      throw new UpdateException(
          "bundle_hash",
          t.getPath()
              + " ("
              + bytes.length
              + " bytes) does not match the length and SHA-256 in targets: refused, retried at"
              + " the next poll");
    }
    Bundle inside = BundleReader.parse(bytes, limits.maxBundleBytes());
    if (!inside.name().equals(t.getName()) || inside.version() != t.getVersion()) {
      throw new BundleException(
          "bundle_mismatch",
          t.getPath()
              + " holds '"
              + inside.name()
              + "' v"
              + inside.version()
              + " where targets say "
              + who
              + ": refused; republish the repository");
    }
    InstallResult result = installer.install(bytes);
    listener.installed(result);
    return Optional.of(result);
  }
}
