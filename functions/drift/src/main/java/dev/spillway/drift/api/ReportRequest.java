package dev.spillway.drift.api;

import java.time.Instant;

/**
 * {@code POST /tenants/{tenant}/features/{feature}/reports}: score a window now.
 *
 * @param window the start of the window to score; default: the feature's latest window
 */
public record ReportRequest(Instant window) {}
