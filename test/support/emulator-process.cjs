// Starts infra/local/emulators-main.ts in its own process group and reads its endpoints line.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const START_TIMEOUT_MS = 90_000;

function startEmulatorProcess() {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(root, 'infra', 'local', 'emulators-main.ts')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      stopEmulatorProcess(child.pid);
      reject(new Error(`The emulators did not start within ${START_TIMEOUT_MS} ms.`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const newline = output.indexOf('\n');
      if (newline === -1) {
        return;
      }
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      child.unref();
      resolve({ endpoints: JSON.parse(output.slice(0, newline)), pid: child.pid });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The emulators exited with code ${code} before starting. See the output above.`));
    });
  });
}

async function stopEmulatorProcess(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < 10_000; waited += 100) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

module.exports = { startEmulatorProcess, stopEmulatorProcess };
