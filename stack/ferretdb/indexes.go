package main

// FerretDB pushes equality filters down to PostgreSQL as containment, `_jsonb->'field' @> value`, which the
// btree indexes it creates cannot serve: every lookup, by _id included, scans the whole table (SPEC §18:
// 23 ms per query at 50,000 documents). A GIN index with jsonb_path_ops on the same expression can. This
// keeps one on _id of every FerretDB table, and one per top-level field of every index FerretDB created for
// the application, as tables and indexes appear. PostgreSQL must plan with the parameters' values
// (plan_cache_mode=force_custom_plan) to match `_jsonb->$1` against the index expression.

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

var topLevelField = regexp.MustCompile(`\(\(_jsonb -> '([^']+)'::text\)\)`)

func maintainContainmentIndexes(ctx context.Context, postgresURL string, every time.Duration, logger *slog.Logger) {
	pool, err := pgxpool.New(ctx, postgresURL)
	if err != nil {
		logger.Error("containment indexes: cannot connect to PostgreSQL", "error", err)
		return
	}
	defer pool.Close()
	for {
		if err := ensureContainmentIndexes(ctx, pool); err != nil && ctx.Err() == nil {
			logger.Warn("containment indexes", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

func ensureContainmentIndexes(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, `
		SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes
		WHERE tablename NOT LIKE '\_ferretdb\_%' AND indexdef LIKE '%_jsonb%'`)
	if err != nil {
		return err
	}
	type index struct{ schema, table, field string }
	existing := map[string]bool{}
	var wanted []index
	for rows.Next() {
		var schema, table, name, def string
		if err := rows.Scan(&schema, &table, &name, &def); err != nil {
			rows.Close()
			return err
		}
		existing[schema+"."+name] = true
		if !strings.Contains(def, "USING btree") {
			continue
		}
		for _, m := range topLevelField.FindAllStringSubmatch(def, -1) {
			wanted = append(wanted, index{schema, table, m[1]})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ix := range wanted {
		name := ginName(ix.table, ix.field)
		if existing[ix.schema+"."+name] {
			continue
		}
		existing[ix.schema+"."+name] = true
		sql := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q.%q USING gin ((_jsonb -> '%s') jsonb_path_ops)`, name, ix.schema, ix.table, strings.ReplaceAll(ix.field, "'", "''"))
		if _, err := pool.Exec(ctx, sql); err != nil {
			return fmt.Errorf("%s: %w", sql, err)
		}
	}
	return nil
}

// ginName fits PostgreSQL's 63-byte identifiers and stays unique per table and field.
func ginName(table, field string) string {
	sum := sha256.Sum256([]byte(table + "\x00" + field))
	prefix := table
	if len(prefix) > 40 {
		prefix = prefix[:40]
	}
	return fmt.Sprintf("%s_%x_gin", prefix, sum[:6])
}
