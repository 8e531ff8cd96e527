/**
 * The daemon's local HTTP API: endpoints for inference, tasks, bundle installs, health and metrics,
 * camera sources (listing, runtime changes, snapshots with results drawn), Server-Sent Events of
 * every frame's results, the bearer-token check, and the mapping of every failure to a JSON {@code
 * ApiError}.
 */
package dev.promptedge.runtime.daemon.api;
