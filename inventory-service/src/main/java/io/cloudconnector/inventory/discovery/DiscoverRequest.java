package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.inventory.asset.AssetType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The optional body of {@code POST /v1/assets:discover}: {@code {"types": ["ec2", "ebs"]}} limits the sweep
 * to those types; no body, or no {@code types}, means both.
 */
record DiscoverRequest(@Nullable List<@Nullable String> types) {

    /** The asset types to discover, or a 400 naming each bad entry. */
    Set<AssetType> assetTypes() {
        if (types == null) {
            return EnumSet.allOf(AssetType.class);
        }
        if (types.isEmpty()) {
            throw new InvalidInputException("types", "must name at least one type, or be left out for all");
        }
        Set<AssetType> parsed = EnumSet.noneOf(AssetType.class);
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            try {
                if (type == null) {
                    throw new IllegalArgumentException("must not be null");
                }
                parsed.add(WireNames.parse(AssetType.class, type));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("types[" + i + "]", String.valueOf(e.getMessage())));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return parsed;
    }
}
