import { loadProcessorConfig } from '../../../lib/config';
import { FxRateReader } from '../../../lib/fx/rate-reader';
import { createProcessorDependencies } from '../../../lib/processor/create-dependencies';
import { CapturingLogger } from '../../support/capturing-logger';
import { PROCESSOR_ENVIRONMENT } from '../functions/support';

describe('createProcessorDependencies', () => {
  it('builds a rate reader with FX table', () => {
    const config = loadProcessorConfig({ ...PROCESSOR_ENVIRONMENT, FX_RATES_TABLE: 'unit-fx-rates' });

    const dependencies = createProcessorDependencies(config, new CapturingLogger('test'), () => 1_000);

    expect(dependencies.rates).toBeInstanceOf(FxRateReader);
  });

  it('converts nothing without FX table', () => {
    const config = loadProcessorConfig(PROCESSOR_ENVIRONMENT);

    const dependencies = createProcessorDependencies(config, new CapturingLogger('test'), () => 1_000);

    expect(dependencies.rates).toBeUndefined();
  });
});
