package org.harbour.offering;

import java.util.Set;

/** Who a schedule slot is for. "Women-only hours" is a slot with audience WOMEN. */
public enum Audience {
    ALL, WOMEN, WOMEN_AND_TRANS, TRANS, YOUTH;

    /** Whether a slot for this audience serves someone of the wanted one: ALL serves everyone. */
    public boolean serves(Audience wanted) {
        return switch (wanted) {
            case ALL -> this == ALL;
            case WOMEN -> Set.of(ALL, WOMEN, WOMEN_AND_TRANS).contains(this);
            case TRANS -> Set.of(ALL, TRANS, WOMEN_AND_TRANS).contains(this);
            case WOMEN_AND_TRANS -> Set.of(ALL, WOMEN_AND_TRANS).contains(this);
            case YOUTH -> Set.of(ALL, YOUTH).contains(this);
        };
    }
}
