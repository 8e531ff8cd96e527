package dev.promptedge.runtime.task;

/**
 * The outcome of installing a bundle.
 *
 * @param name the task name
 * @param version the installed version
 * @param unchanged true when exactly this bundle was installed already (nothing was done)
 * @param active whether the task is the active one after the install
 */
public record InstallResult(String name, long version, boolean unchanged, boolean active) {}
