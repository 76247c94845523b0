import { WEEKLY_SUMMARY_SERVICE } from '../../../functions/weekly-summary/create-handler';
import { SERVICE_NAMES } from '../../../infra/definitions';

// Alarms select custom metrics and logs by the service name, which the stack sets from SERVICE_NAMES.
describe('weekly-summary service name', () => {
  it('matches the name of the stack', () => {
    expect(WEEKLY_SUMMARY_SERVICE).toBe(SERVICE_NAMES.weeklySummary);
  });
});
