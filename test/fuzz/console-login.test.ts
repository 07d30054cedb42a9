import { consoleTargets } from './console-targets.js';
import { fuzzEndpoints } from './fuzz-endpoints.js';

// Fewer cases than elsewhere: each sign-in that gets as far as the password spends tens of milliseconds in scrypt.
fuzzEndpoints(consoleTargets, ['POST /console/login', 'POST /console/login/code'], 100);
