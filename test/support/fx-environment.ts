import type { FakeFx } from '../../infra/local/fake-fx/types';
import { FX_PROVIDER_IDS, fxBaseUrlVariable } from '../../lib/config';
import type { FxTables } from './fx-tables';

/**
 * Returns the FX refresh function's environment for the given tables and fake providers: base USD, the
 * currencies EUR, BRL, PKR and ARS (the ECB publishes neither PKR nor ARS), every provider in the default
 * order, and a short request timeout. `overrides` replaces or adds variables.
 */
export function fxEnvironment(
  tables: Pick<FxTables, 'ratesTable' | 'resilienceTable'>,
  fake: FakeFx,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const environment: Record<string, string> = {
    FX_RATES_TABLE: tables.ratesTable,
    RESILIENCE_TABLE: tables.resilienceTable,
    FX_PROVIDERS: FX_PROVIDER_IDS.join(','),
    FX_BASE_CURRENCY: 'USD',
    FX_CURRENCIES: 'EUR,BRL,PKR,ARS',
    FX_EXCHANGERATE_API_KEY: fake.apiKey,
    FX_REQUEST_TIMEOUT_MS: '300',
  };
  for (const provider of FX_PROVIDER_IDS) {
    environment[fxBaseUrlVariable(provider)] = fake.baseUrls[provider];
  }

  return { ...environment, ...overrides };
}
