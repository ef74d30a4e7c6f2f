package org.poa.jobs.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap that stayed in use after a garbage collection while it watched: what the work kept
 * alive at its peak (live data plus whatever the collector left), as opposed to the heap's size or
 * the garbage between collections.
 */
final class HeapWatch {

    private final AtomicLong most = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP).map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toSet());
    private final NotificationListener listener = (notification, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        most.accumulateAndGet(used, Math::max);
    };

    private HeapWatch() {
    }

    static HeapWatch start() {
        HeapWatch watch = new HeapWatch();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(watch.listener, null, null);
                watch.emitters.add(emitter);
            }
        }
        return watch;
    }

    /** Stops watching; the most heap in use after a collection, in bytes (0 if none ran). */
    long stop() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException e) {
                // already gone
            }
        }
        return most.get();
    }
}
