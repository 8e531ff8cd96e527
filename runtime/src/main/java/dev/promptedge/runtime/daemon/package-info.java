/**
 * The on-device daemon {@code promptedged}: the composition root that wires one resident backbone,
 * the bundle store and task engine, the serving parts ({@code daemon.serving}: queue, memory
 * budgets, metrics), the HTTP API and the optional components (GPIO panel, update client) that the
 * device drives.
 */
package dev.promptedge.runtime.daemon;
