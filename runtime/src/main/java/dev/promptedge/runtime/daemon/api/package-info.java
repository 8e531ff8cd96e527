/**
 * The daemon's local HTTP API: endpoints for inference, tasks, bundle installs, health and metrics,
 * camera sources (listing, runtime changes, snapshots with results drawn), Server-Sent Events of
 * every frame's results, the bearer-token check, the mapping of every failure to a JSON {@code
 * ApiError}, and the dashboard page (static files in this package's {@code dashboard/} resources,
 * served at {@code /}).
 */
package dev.promptedge.runtime.daemon.api;
