/**
 * What the daemon serves, shared by its wiring ({@code Daemon}) and its HTTP API: the batching
 * {@link dev.promptedge.runtime.daemon.serving.InferenceQueue}, task installs and switches ({@link
 * dev.promptedge.runtime.daemon.serving.TaskControl}), image decoding within the {@link
 * dev.promptedge.runtime.daemon.serving.MemoryBudget}, the Prometheus {@link
 * dev.promptedge.runtime.daemon.serving.Metrics} and the {@link
 * dev.promptedge.runtime.daemon.serving.DaemonLog}. Depends on neither the wiring nor the API.
 */
package dev.promptedge.runtime.daemon.serving;
