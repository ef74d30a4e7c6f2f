package org.poa.lakehouse.ingest.parse;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.RowFactory;
import org.poa.attribution.gradient.GradientParams;
import org.poa.attribution.ngram.NgramParams;
import org.poa.lakehouse.catalog.TableDef;
import org.poa.lakehouse.catalog.Tables;
import org.poa.core.validate.Fields;
import org.poa.core.validate.Reason;
import org.poa.core.validate.Rejection;

/**
 * models: model_id, developer, kind (lm|classifier), base_model, datanets [ids], license
 * {fee_per_call_wei, allowed_uses, split_bps {protocol, developer, validators, data} = 10000},
 * attribution {method: weight}. Without attribution an lm uses {"ngram": 1} and a classifier
 * {"gradient": 1}. Optional params {section: {name: value}} tune the attribution methods, e.g.
 * {"ngram": {"min_span": 6, "max_count": 10}} or {"gradient": {"projection": 0, "checkpoints": [5, 15]}};
 * they are stored flattened ("ngram.min_span" to "6", "gradient.checkpoints" to "5,15").
 */
public final class ModelParser implements RecordParser {

    public static final Set<String> KINDS = Set.of("lm", "classifier");
    public static final Set<String> METHODS = Set.of("ngram", "gradient");
    /** The gradient section's settings (org.poa.attribution.gradient.GradientParams). */
    private static final List<String> GRADIENT_PARAMS = List.of("num_features", "checkpoints", "reg_param", "projection",
            "preconditioner", "damping", "seed", "top_contributors", "top_contributions");
    private static final List<String> SPLIT_PARTS = List.of("protocol", "developer", "validators", "data");

    @Override
    public TableDef table() {
        return Tables.MODELS;
    }

    @Override
    public Object[] parse(Fields record) throws Rejection {
        String id = record.string("model_id");
        String developer = record.payee("developer");
        String kind = record.string("kind");
        if (!KINDS.contains(kind)) {
            throw new Rejection(Reason.BAD_VALUE, "kind must be lm or classifier, got '" + kind + "'");
        }
        String base = record.optionalString("base_model");
        List<String> datanets = record.stringList("datanets");
        if (datanets.isEmpty()) {
            throw new Rejection(Reason.BAD_VALUE, "datanets must name at least one datanet");
        }
        if (datanets.stream().distinct().count() != datanets.size()) {
            throw new Rejection(Reason.BAD_VALUE, "datanets lists a datanet twice");
        }
        Fields license = record.object("license");
        BigDecimal fee = license.wei("fee_per_call_wei");
        List<String> uses = license.stringList("allowed_uses");
        Fields split = license.object("split_bps");
        Object[] parts = new Object[SPLIT_PARTS.size()];
        long sum = 0;
        for (int i = 0; i < parts.length; i++) {
            int bps;
            try {
                bps = split.integer(SPLIT_PARTS.get(i), -1);
            } catch (Rejection e) {
                throw new Rejection(Reason.BAD_SPLIT, "split_bps." + SPLIT_PARTS.get(i) + " must be an integer");
            }
            if (bps < 0) {
                throw new Rejection(Reason.BAD_SPLIT, "split_bps." + SPLIT_PARTS.get(i) + " must be a non-negative integer");
            }
            parts[i] = bps;
            sum += bps;
        }
        if (sum != 10_000) {
            throw new Rejection(Reason.BAD_SPLIT, "split_bps parts sum to " + sum + ", not 10000");
        }
        for (String name : split.names()) {
            if (!SPLIT_PARTS.contains(name)) {
                throw new Rejection(Reason.BAD_SPLIT, "split_bps has an unknown part '" + name + "'");
            }
        }
        Map<String, Double> attribution = attribution(record.optionalObject("attribution"), kind);
        Map<String, String> params = params(record.optionalObject("params"));
        return new Object[] {id, developer, kind, base, SparkValues.seq(datanets),
            RowFactory.create(fee, SparkValues.seq(uses), RowFactory.create(parts)),
            SparkValues.map(attribution), params == null ? null : SparkValues.map(params)};
    }

    /** Validated, flattened params; null when the model gives none. */
    private static Map<String, String> params(Fields sections) throws Rejection {
        if (sections == null) {
            return null;
        }
        Map<String, String> out = new java.util.TreeMap<>();
        for (String section : sections.names()) {
            if (!section.equals("ngram") && !section.equals("gradient")) {
                throw new Rejection(Reason.BAD_VALUE, "params section '" + section + "' is not ngram or gradient");
            }
            Fields values = sections.object(section);
            List<String> known = section.equals("ngram") ? List.of("min_span", "max_count") : GRADIENT_PARAMS;
            for (String name : values.names()) {
                if (!known.contains(name)) {
                    throw new Rejection(Reason.BAD_VALUE, "params." + section + " has an unknown parameter '" + name + "'");
                }
                out.put(section + "." + name, section.equals("ngram") ? Integer.toString(values.integer(name, 0))
                        : values.scalarText(name));
            }
        }
        try {
            NgramParams.of(out);
            GradientParams.of(out);
        } catch (IllegalArgumentException e) {
            throw new Rejection(Reason.BAD_VALUE, "params." + e.getMessage());
        }
        return out;
    }

    private static Map<String, Double> attribution(Fields methods, String kind) throws Rejection {
        Map<String, Double> out = new LinkedHashMap<>();
        if (methods == null) {
            out.put(kind.equals("lm") ? "ngram" : "gradient", 1.0);
            return out;
        }
        for (String method : methods.names()) {
            if (!METHODS.contains(method)) {
                throw new Rejection(Reason.BAD_VALUE, "attribution method '" + method + "' is not ngram or gradient");
            }
            BigDecimal weight = methods.decimal(method, null);
            if (weight == null || weight.signum() <= 0 || Double.isInfinite(weight.doubleValue())) {
                throw new Rejection(Reason.BAD_VALUE, "attribution weight of " + method + " must be a positive number");
            }
            out.put(method, weight.doubleValue());
        }
        if (out.isEmpty()) {
            throw new Rejection(Reason.BAD_VALUE, "attribution names no method");
        }
        return out;
    }
}
