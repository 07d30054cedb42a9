import { API_ROUTES, apiTargets } from './api-targets.js';
import { fuzzEndpoints } from './fuzz-endpoints.js';

// Fewer cases per route than elsewhere: this file has many routes, and `npm run bench` runs each far longer.
fuzzEndpoints(apiTargets, API_ROUTES.tips, 100);
