/** The {@code promptedge} command line (picocli). */
package dev.promptedge.tools.cli;
