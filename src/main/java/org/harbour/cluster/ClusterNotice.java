package org.harbour.cluster;

/** A notice from some instance (this one included), or a {@link ClusterNotices.Channel#RESYNC} from the listener. */
public record ClusterNotice(ClusterNotices.Channel channel, String payload) {
}
