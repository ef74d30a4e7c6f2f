package org.poa.jobs.attribute;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;

/**
 * Which corpus one model sees in one epoch: the shard files of its datanets and, per shard, the
 * ordinals of the documents approved as of the epoch's end; plus the span length k. Small (one bit
 * per indexed document), shipped with each task; its {@link #key()} names the in-memory index.
 */
public record CorpusSpec(int k, List<Shard> shards) implements Serializable {

    /** One shard file and its allowed documents (a {@link BitSet#toByteArray()}). */
    public record Shard(String path, byte[] allowed, long allowedTokens) implements Serializable {
        public BitSet allowedSet() {
            return BitSet.valueOf(allowed);
        }
    }

    public CorpusSpec {
        shards = List.copyOf(shards);
    }

    public long allowedTokens() {
        return shards.stream().mapToLong(Shard::allowedTokens).sum();
    }

    public long allowedDocuments() {
        return shards.stream().mapToLong(s -> s.allowedSet().cardinality()).sum();
    }

    /** A digest of everything that decides the index's content. */
    public String key() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Integer.toString(k).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Shard shard : shards) {
                digest.update(shard.path().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(shard.allowed());
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
