// Registers the SPEC §17 search attributes on a Temporal server that lacks them (a full cluster, compose).
// Idempotent: attributes already there are left alone. The dev server gets them from --search-attribute instead.
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../platform/config';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED_TYPES: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

const GRPC_UNIMPLEMENTED = 12;

export async function registerSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace }).then(
      (answer) => answer.customAttributes ?? {},
      // Temporal's time-skipping test server cannot list them, but does register them.
      (err: { code?: number }) => (err.code === GRPC_UNIMPLEMENTED ? {} : Promise.reject(err)),
    );
    const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPES[key.type]!])),
      });
    }
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  const config = loadConfig();
  registerSearchAttributes(config.temporalAddress, config.temporalNamespace)
    .then((added) => console.log(added.length ? `registered search attributes: ${added.join(', ')}` : 'search attributes already registered'))
    .catch((err: Error) => {
      console.error(`could not register search attributes: ${err.message}`);
      process.exit(1);
    });
}
