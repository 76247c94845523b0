const { stopEmulatorProcess } = require('./emulator-process.cjs');

module.exports = async function globalTeardown() {
  if (globalThis.__FINANCY_EMULATORS_PID__) {
    await stopEmulatorProcess(globalThis.__FINANCY_EMULATORS_PID__);
  }
};
