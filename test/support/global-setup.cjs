// Starts DynamoDB Local and fauxqs once for the whole jest run, in a child process because both
// emulators are started from ESM code. Set FINANCY_UNIT_ONLY=1 to run unit tests without them.
const { startEmulatorProcess } = require('./emulator-process.cjs');

module.exports = async function globalSetup() {
  if (process.env.FINANCY_UNIT_ONLY === '1') {
    return;
  }

  const { endpoints, pid } = await startEmulatorProcess();
  globalThis.__FINANCY_EMULATORS_PID__ = pid;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  process.env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  // fauxqs serves S3 on the same port as SQS.
  process.env.AWS_ENDPOINT_URL_S3 = endpoints.s3 ?? endpoints.sqs;
  process.env.AWS_REGION = process.env.AWS_REGION || 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
};
