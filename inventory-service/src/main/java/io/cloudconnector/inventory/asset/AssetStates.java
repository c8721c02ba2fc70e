package io.cloudconnector.inventory.asset;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The states an asset can be in: EC2's and EBS's own names, except that a terminated instance, a deleted
 * volume and an asset that vanished from EC2 are all {@code deleted}, so that "gone" reads the same everywhere.
 */
public final class AssetStates {

    /** The state of an asset that no longer exists. */
    public static final String DELETED = "deleted";

    /**
     * The order of states within one moment: when two reports carry the same time, the state further along
     * the life cycle wins, and the name breaks remaining ties, so the outcome never depends on arrival order.
     */
    private static final Map<String, Integer> LIFE_CYCLE_RANK = Map.ofEntries(
            Map.entry("pending", 0),
            Map.entry("creating", 0),
            Map.entry("running", 1),
            Map.entry("available", 1),
            Map.entry("in-use", 1),
            Map.entry("stopping", 2),
            Map.entry("deleting", 2),
            Map.entry("stopped", 3),
            Map.entry("error", 3),
            Map.entry("shutting-down", 4),
            Map.entry(DELETED, 5));

    private static final Set<String> KNOWN = new TreeSet<>(LIFE_CYCLE_RANK.keySet());

    private AssetStates() {}

    /** The asset state of an EC2 instance state name ({@code terminated} becomes {@code deleted}). */
    public static String ofInstance(String ec2State) {
        return "terminated".equals(ec2State) ? DELETED : ec2State;
    }

    /** The asset state of an EBS volume state name. */
    public static String ofVolume(String ebsState) {
        return ebsState;
    }

    /** Whether {@code state} is a state the API knows (and so accepts as a filter). */
    public static boolean isKnown(String state) {
        return KNOWN.contains(state);
    }

    /** Every state the API knows, sorted. */
    public static List<String> known() {
        return List.copyOf(KNOWN);
    }

    /** Compares two states reported at the same moment: positive if {@code a} wins over {@code b}. */
    static int compareAtSameTime(String a, String b) {
        int byRank = Integer.compare(LIFE_CYCLE_RANK.getOrDefault(a, 0), LIFE_CYCLE_RANK.getOrDefault(b, 0));
        return byRank != 0 ? byRank : a.compareTo(b);
    }
}
