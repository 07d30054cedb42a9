import { API_ROUTES, apiTargets } from './api-targets.js';
import { fuzzEndpoints } from './fuzz-endpoints.js';

// The routes on one schedule (/:id…) have a file of their own, so that each file stays short.
fuzzEndpoints(
  apiTargets,
  API_ROUTES.broadcasts.filter((route) => !route.includes('/:id')),
  100,
);
