/**
 * The task switch and the inference path: bundles resident within a budget, one active task swapped
 * atomically, and batches of mixed tasks run through one backbone call.
 */
package dev.promptedge.runtime.task;
