import { replicaSeedingSuite } from '@bicentennial/testing';
import * as framework from '../server';

// The catalogue has no synthetic part; what framework shares with the others is the lock.
replicaSeedingSuite(framework);
