import { announceReady, createLogger, EnvError, stopOnSignals } from '@bicentennial/service';
import { startGateway } from './app';
import { readEnv } from './env';

async function main(): Promise<void> {
  let env;
  try {
    env = readEnv();
  } catch (error) {
    process.stderr.write(`${error instanceof EnvError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = createLogger('gateway', env.LOG_LEVEL);
  let gateway;
  try {
    gateway = await startGateway(env, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  logger.info({ url: gateway.url }, 'serving');
  announceReady('gateway', gateway.url);

  stopOnSignals(() => gateway.stop(), logger, env.SHUTDOWN_TIMEOUT_MS);
}

void main();
