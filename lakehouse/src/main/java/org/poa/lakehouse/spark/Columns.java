package org.poa.lakehouse.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import scala.jdk.javaapi.CollectionConverters;

/** Column lists for the Java API, names quoted so that any column name works. */
public final class Columns {

    private Columns() {
    }

    public static Column[] of(String... names) {
        return Arrays.stream(names).map(Columns::named).toArray(Column[]::new);
    }

    /**
     * The top-level column called exactly {@code name}: quoted, with any backtick in it doubled, so a
     * name with dots, spaces or backticks (an input Parquet file may have any) is never parsed as a
     * path or an expression.
     */
    public static Column named(String name) {
        return functions.col(quoted(name));
    }

    /** {@code name} as a quoted SQL identifier. */
    public static String quoted(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    public static Column[] of(List<String> names) {
        return of(names.toArray(String[]::new));
    }

    /** Names for {@code Dataset.join(right, usingColumns, joinType)}. */
    public static scala.collection.immutable.Seq<String> using(String... names) {
        return CollectionConverters.asScala(List.of(names)).toSeq();
    }

    public static scala.collection.immutable.Seq<String> using(List<String> names) {
        return CollectionConverters.asScala(names).toSeq();
    }
}
