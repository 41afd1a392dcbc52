package org.harbour.network;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.harbour.offering.Audience;
import org.harbour.offering.ScheduleSlot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;

/**
 * Coverage of the network's active sites per province or health region: which services they offer, which
 * have hours for one audience only, which are open around the clock, and which are open at an instant for
 * each audience, each site judged in its own time zone (as a member's open-sites query judges it).
 */
@ApplicationScoped
public class Coverage {

    private static final TypeReference<List<ScheduleSlot>> SLOTS = new TypeReference<>() {
    };

    @Inject
    @DataSource("network")
    AgroalDataSource database;

    @Inject
    ObjectMapper json;

    private static final class Site {
        final Set<String> services = new java.util.HashSet<>();
        final List<ScheduleSlot> slots = new ArrayList<>();
        ZoneId zone;
    }

    CoverageView coverage(boolean byHealthRegion, List<String> provinces, Instant at) {
        List<String> codes = new ArrayList<>();
        Map<List<String>, Map<String, Site>> groups = new TreeMap<>(Dimension.KEY_ORDER);
        try (Connection c = database.getConnection()) {
            try (PreparedStatement st = c.prepareStatement("SELECT code FROM service ORDER BY code"); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT s.org_id || '/' || s.id, s.province, s.health_region, s.time_zone, f.service_code, f.schedule::text
                      FROM site s LEFT JOIN offering f ON f.org_id = s.org_id AND f.site_id = s.id
                     WHERE s.status = 'ACTIVE' AND (cardinality(?::text[]) = 0 OR s.province = ANY (?::text[]))""")) {
                java.sql.Array array = c.createArrayOf("text", provinces.toArray());
                st.setArray(1, array);
                st.setArray(2, array);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        List<String> key = byHealthRegion ? java.util.Arrays.asList(rs.getString(2), rs.getString(3))
                                : List.of(rs.getString(2));
                        Site site = groups.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(rs.getString(1), k -> new Site());
                        site.zone = ZoneId.of(rs.getString(4));
                        if (rs.getString(5) != null) {
                            site.services.add(rs.getString(5));
                            site.slots.addAll(json.readValue(rs.getString(6), SLOTS));
                        }
                    }
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("coverage query failed", e);
        }
        List<CoverageView.Row> rows = new ArrayList<>();
        groups.forEach((key, sites) -> rows.add(row(key, sites.values(), codes, at)));
        return new CoverageView(byHealthRegion ? "healthRegion" : "province", at.toString(), rows);
    }

    private static CoverageView.Row row(List<String> key, java.util.Collection<Site> sites, List<String> codes, Instant at) {
        Map<String, Integer> services = new LinkedHashMap<>();
        codes.forEach(code -> services.put(code, 0));
        Map<Audience, Integer> dedicated = new EnumMap<>(Audience.class);
        Map<Audience, Integer> openNow = new EnumMap<>(Audience.class);
        for (Audience a : Audience.values()) {
            dedicated.put(a, 0);
            openNow.put(a, 0);
        }
        int allDay = 0;
        for (Site site : sites) {
            site.services.forEach(code -> services.merge(code, 1, Integer::sum));
            LocalDateTime local = LocalDateTime.ofInstant(at, site.zone);
            Set<DayOfWeek> aroundTheClock = EnumSet.noneOf(DayOfWeek.class);
            for (Audience a : Audience.values()) {
                if (a != Audience.ALL && site.slots.stream().anyMatch(s -> s.audienceOrAll() == a)) {
                    dedicated.merge(a, 1, Integer::sum);
                }
                if (site.slots.stream().anyMatch(s -> s.audienceOrAll().serves(a) && s.isOpen(local))) {
                    openNow.merge(a, 1, Integer::sum);
                }
            }
            site.slots.stream().filter(s -> s.allDay() && s.audienceOrAll() == Audience.ALL).forEach(s -> aroundTheClock.addAll(s.days()));
            if (aroundTheClock.size() == 7) {
                allDay++;
            }
        }
        Map<String, Integer> open = new LinkedHashMap<>();
        openNow.forEach((a, n) -> open.put(a.name(), n));
        return new CoverageView.Row(key.get(0), key.size() > 1 ? key.get(1) : null, sites.size(), services,
                dedicated.get(Audience.WOMEN), dedicated.get(Audience.TRANS), dedicated.get(Audience.WOMEN_AND_TRANS),
                dedicated.get(Audience.YOUTH), allDay, open);
    }
}
