package com.powerwatch.ingest.gateway;

import com.powerwatch.ingest.frame.ReceivedFrame;

import java.util.concurrent.CompletableFuture;

/** Where received frames go before anything is acknowledged: the journal. Completes when the frame is durable. */
@FunctionalInterface
public interface FrameSink {
    CompletableFuture<Long> append(ReceivedFrame frame);
}
