import { runSubgraph } from '@bicentennial/subgraph-kit';
import { readEnv } from './env';
import { auditProgram } from './server';

void runSubgraph(() => auditProgram(readEnv()));
