package org.poa.jobs.query;

import org.sparkproject.connect.grpc.ForwardingServerCallListener;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;

/**
 * The gRPC interceptor of a read-only {@code poa serve} ({@code spark.connect.grpc.interceptor.classes}):
 * each request message is checked by {@link ConnectRequests} before Spark Connect sees it; a refused
 * one ends its call with PERMISSION_DENIED and the reason, and never reaches the server.
 */
public final class ReadOnlyInterceptor implements ServerInterceptor {

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                String why = refused ? null : ConnectRequests.refusal(message);
                if (why != null) {
                    refused = true;
                    call.close(Status.PERMISSION_DENIED.withDescription("poa serve is read-only: refused, " + why), new Metadata());
                    return;
                }
                if (!refused) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
